import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import { start, stop, track, untrack } from '../src/main/index';
import { streamsLabelled } from './fixtures/shapes-harness';

before(() => start({ intervalMs: 60_000, logLevel: 'silent' }));
after(() => stop());

const block = (number: number) => ({ hash: `0x${number}`, number });

function manualReadable(): Readable {
  return new Readable({ objectMode: true, read() {} });
}

test('values waiting in the buffer are queued until the consumer reads them', async () => {
  const readable = track(manualReadable(), { label: 'readable-queue' });
  for (let number = 1; number <= 3; number++) readable.push(block(number));
  let [stream] = await streamsLabelled('readable-queue');
  assert.deepEqual([stream.delivered, stream.queued], [3, 3]);
  assert.match(stream.site, /shapes-readable\.test\.ts:\d+:\d+$/);

  assert.equal(readable.read().number, 1);
  assert.equal(readable.read().number, 2);
  [stream] = await streamsLabelled('readable-queue');
  assert.deepEqual([stream.delivered, stream.queued], [3, 1]);
  readable.destroy();
});

test('for await reads every value in order and break closes the stream', async () => {
  const readable = track(Readable.from([1, 2, 3, 4].map(block)), { label: 'readable-iterate' });
  const seen: number[] = [];
  for await (const value of readable) {
    seen.push(value.number);
    if (seen.length === 2) break;
  }
  assert.deepEqual(seen, [1, 2]);
  // break destroys the Readable; its 'close' comes on the next tick.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(readable.destroyed, true);
  const [stream] = await streamsLabelled('readable-iterate');
  assert.equal(stream.closedBy, 'explicit');
  assert.equal(stream.queued, 0);
});

test('flowing data listeners take pushed values and pipelines deliver them all', async () => {
  const source = track(manualReadable(), { label: 'readable-flowing' });
  const written: number[] = [];
  const sink = new Writable({
    objectMode: true,
    write(value: { number: number }, _encoding, done) {
      written.push(value.number);
      done();
    },
  });
  const piping = pipeline(source, sink);
  for (let number = 1; number <= 5; number++) {
    source.push(block(number));
    await new Promise((resolve) => setImmediate(resolve));
  }
  source.push(null);
  await piping;
  assert.deepEqual(written, [1, 2, 3, 4, 5]);
  const [stream] = await streamsLabelled('readable-flowing');
  assert.deepEqual([stream.delivered, stream.queued, stream.closedBy], [5, 0, 'explicit']);
});

test('destroy releases the values still buffered', async () => {
  const readable = track(manualReadable(), { label: 'readable-destroy' });
  readable.push(block(1));
  readable.push(block(2));
  readable.destroy();
  await once(readable, 'close');
  const [stream] = await streamsLabelled('readable-destroy');
  assert.deepEqual([stream.delivered, stream.queued, stream.closedBy], [2, 0, 'explicit']);
});

test('unshift puts a value back at the front of the queue', async () => {
  const readable = track(manualReadable(), { label: 'readable-unshift' });
  readable.push(block(1));
  readable.push(block(2));
  const first = readable.read();
  readable.unshift(first);
  assert.equal(readable.read(), first);
  assert.equal(readable.read().number, 2);
  const [stream] = await streamsLabelled('readable-unshift');
  assert.deepEqual([stream.delivered, stream.queued], [3, 0]);
  readable.destroy();
});

test('untrack puts the methods back and ends the stream', async () => {
  const readable = track(manualReadable(), { label: 'readable-untrack' });
  readable.push(block(1));
  untrack(readable);
  assert.equal(readable.push, Readable.prototype.push);
  assert.equal(readable.read, Readable.prototype.read);
  const [stream] = await streamsLabelled('readable-untrack');
  assert.deepEqual([stream.queued, stream.closedBy], [0, 'explicit']);
  assert.equal(readable.read().number, 1);
});
