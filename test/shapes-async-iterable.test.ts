import assert from 'node:assert/strict';
import { EventEmitter, on } from 'node:events';
import { after, before, test } from 'node:test';
import { start, stop, track } from '../src/main/index';
import { streamsLabelled } from './fixtures/shapes-harness';

before(() => start({ intervalMs: 60_000, logLevel: 'silent' }));
after(() => stop());

async function* blocks(count: number): AsyncGenerator<{ hash: string }> {
  for (let number = 1; number <= count; number++) yield { hash: `0x${number}` };
}

test('an async generator is one stream that break closes', async () => {
  let taken = 0;
  for await (const value of track(blocks(5), { label: 'iterable-generator' })) {
    assert.match(value.hash, /^0x\d$/);
    if (++taken === 3) break;
  }
  const [stream] = await streamsLabelled('iterable-generator');
  assert.deepEqual([stream.delivered, stream.closedBy], [3, 'explicit']);
});

test('each iteration of a re-iterable source is its own stream', async () => {
  const source = track({ [Symbol.asyncIterator]: () => blocks(2) }, { label: 'iterable-twice' });
  for (let round = 0; round < 2; round++) {
    for await (const value of source) assert.ok(value.hash);
  }
  const streams = await streamsLabelled('iterable-twice');
  assert.deepEqual(
    streams.map((stream) => [stream.delivered, stream.closedBy]),
    [
      [2, 'explicit'],
      [2, 'explicit'],
    ],
  );
});

test('an events.on iterator is a stream that return() closes', async () => {
  const emitter = new EventEmitter();
  const iterator = track(on(emitter, 'block'), { label: 'iterable-events-on' });
  emitter.emit('block', { hash: '0x01' });
  emitter.emit('block', { hash: '0x02' });
  assert.deepEqual((await iterator.next()).value, [{ hash: '0x01' }]);
  assert.deepEqual((await iterator.next()).value, [{ hash: '0x02' }]);
  await iterator.return?.();
  assert.equal(emitter.listenerCount('block'), 0);
  const [stream] = await streamsLabelled('iterable-events-on');
  assert.deepEqual([stream.delivered, stream.closedBy], [2, 'explicit']);
});
