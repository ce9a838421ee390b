import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { after, before, test } from 'node:test';
import { start, stop, track, untrack } from '../src/main/index';
import { streamsLabelled } from './fixtures/shapes-harness';

before(() => start({ intervalMs: 60_000, logLevel: 'silent' }));
after(() => stop());

type Named = ((...args: unknown[]) => unknown) & { listener?: Named };

/** A once-wrapper is named by the listener it carries, as Node's own contract has it. */
function nameOf(listener: Named): string {
  return listener.listener ? `wrapper(${listener.listener.name})` : listener.name;
}

/** The same sequence of adds, emits and removes, on any emitter; returns what was seen. */
function exercise(emitter: EventEmitter): unknown[] {
  const seen: unknown[] = [];
  const first = (value: { n: number }) => seen.push(`first:${value.n}`);
  const onceOnly = (value: { n: number }) => seen.push(`once:${value.n}`);
  const front = (value: { n: number }) => seen.push(`front:${value.n}`);
  const frontOnce = (value: { n: number }) => seen.push(`frontOnce:${value.n}`);
  emitter.on('newListener', (event, listener: Named) =>
    seen.push(`new:${String(event)}:${nameOf(listener)}`),
  );
  emitter.on('removeListener', (event, listener: Named) =>
    seen.push(`removed:${String(event)}:${nameOf(listener)}`),
  );
  emitter.on('block', first);
  emitter.once('block', onceOnly);
  emitter.prependListener('block', front);
  emitter.prependOnceListener('block', frontOnce);
  seen.push(emitter.listeners('block').map((listener) => listener.name));
  seen.push(emitter.rawListeners('block').map((listener) => nameOf(listener as Named)));
  seen.push(emitter.listenerCount('block'), emitter.listenerCount('block', first));
  emitter.emit('block', { n: 1 });
  emitter.emit('block', { n: 2 });
  seen.push(emitter.listeners('block').map((listener) => listener.name));
  emitter.addListener('block', first);
  emitter.removeListener('block', first);
  seen.push(emitter.listenerCount('block', first));
  emitter.off('block', first);
  seen.push(emitter.listeners('block').map((listener) => listener.name));
  emitter.removeAllListeners('block');
  seen.push(emitter.eventNames());
  return seen;
}

test('on, once, prepend and remove behave exactly as on an untracked emitter', () => {
  const expected = exercise(new EventEmitter());
  const tracked = track(new EventEmitter(), { event: 'block', label: 'emitter-parity' });
  assert.deepEqual(exercise(tracked), expected);
});

test('track returns the same emitter and tracking it twice changes nothing', () => {
  const emitter = new EventEmitter();
  assert.equal(track(emitter, { event: 'block', label: 'emitter-twice' }), emitter);
  const patchedOn = emitter.on;
  assert.equal(track(emitter, { event: 'block', label: 'emitter-twice' }), emitter);
  assert.equal(emitter.on, patchedOn);
  assert.equal(Object.keys(emitter).includes('on'), false);
});

test('each listener is a stream from where it was added until it is removed', async () => {
  const emitter = track(new EventEmitter(), { event: 'block', label: 'emitter-streams' });
  const listener = () => undefined;
  emitter.on('block', listener);
  emitter.on('block', () => undefined);
  emitter.emit('block', { hash: '0x01' });
  emitter.emit('block', { hash: '0x02' });
  emitter.removeListener('block', listener);

  const streams = await streamsLabelled('emitter-streams');
  assert.equal(streams.length, 2);
  assert.deepEqual(
    streams.map((stream) => [stream.delivered, stream.closed, stream.closedBy]),
    [
      [2, true, 'explicit'],
      [2, false, null],
    ],
  );
  for (const stream of streams) assert.match(stream.site, /shapes-emitter\.test\.ts:\d+:\d+$/);
  assert.notEqual(streams[0].site, streams[1].site);
});

test('a once listener takes one notification and closes its stream', async () => {
  const emitter = track(new EventEmitter(), { event: 'block', label: 'emitter-once' });
  let calls = 0;
  emitter.once('block', () => calls++);
  emitter.emit('block', { hash: '0x01' });
  emitter.emit('block', { hash: '0x02' });
  assert.equal(calls, 1);
  const [stream] = await streamsLabelled('emitter-once');
  assert.equal(stream.delivered, 1);
  assert.equal(stream.closedBy, 'explicit');
});

test('removeAllListeners closes the streams of every tracked event', async () => {
  const emitter = track(new EventEmitter(), { event: 'block', label: 'emitter-remove-all' });
  track(emitter, { event: 'header', label: 'emitter-remove-all' });
  emitter.on('block', () => undefined);
  emitter.on('header', () => undefined);
  emitter.removeAllListeners();
  const streams = await streamsLabelled('emitter-remove-all');
  assert.deepEqual(
    streams.map((stream) => stream.closedBy),
    ['explicit', 'explicit'],
  );
});

test('events.once and events.on over a tracked emitter are streams too', async () => {
  const emitter = track(new EventEmitter(), { event: 'block', label: 'emitter-helpers' });
  const waiting = once(emitter, 'block');
  emitter.emit('block', { hash: '0x01' });
  assert.deepEqual(await waiting, [{ hash: '0x01' }]);
  assert.equal(emitter.listenerCount('block'), 0);
  const [stream] = await streamsLabelled('emitter-helpers');
  assert.equal(stream.delivered, 1);
  assert.equal(stream.closed, true);
});

test('listeners of other events are not streams', async () => {
  const emitter = track(new EventEmitter(), { event: 'block', label: 'emitter-other' });
  emitter.on('other', () => undefined);
  emitter.emit('other', { hash: '0x01' });
  assert.deepEqual(await streamsLabelled('emitter-other'), []);
});

test('a throwing listener throws out of emit unchanged and its notification counts', async () => {
  const emitter = track(new EventEmitter(), { event: 'block', label: 'emitter-throws' });
  const failure = new Error('consumer failed');
  emitter.on('block', () => {
    throw failure;
  });
  assert.throws(
    () => emitter.emit('block', { hash: '0x01' }),
    (error) => error === failure,
  );
  const [stream] = await streamsLabelled('emitter-throws');
  assert.equal(stream.delivered, 1);
});

test('with copy each listener receives its own shallow copy', () => {
  const emitter = track(new EventEmitter(), { event: 'block', label: 'emitter-copy', copy: true });
  const received: object[] = [];
  emitter.on('block', (value: object) => received.push(value));
  emitter.on('block', (value: object, extra: number) => received.push(value, { extra }));
  const block = { hash: '0x01', number: 1 };
  emitter.emit('block', block, 7);
  assert.equal(received.length, 3);
  assert.deepEqual(received, [block, block, { extra: 7 }]);
  assert.notEqual(received[0], block);
  assert.notEqual(received[0], received[1]);
});

test('untrack puts the methods back and closes the open streams', async () => {
  const emitter = new EventEmitter();
  track(emitter, { event: 'block', label: 'emitter-untrack' });
  const listener = () => undefined;
  emitter.on('block', listener);
  assert.equal(untrack(emitter), emitter);
  assert.equal(emitter.on, EventEmitter.prototype.on);
  assert.deepEqual(
    Object.getOwnPropertyNames(emitter),
    Object.getOwnPropertyNames(new EventEmitter()),
  );
  assert.deepEqual(
    Object.getOwnPropertySymbols(emitter),
    Object.getOwnPropertySymbols(new EventEmitter()),
  );
  emitter.on('block', () => undefined);
  emitter.removeListener('block', listener);
  assert.equal(emitter.listenerCount('block'), 1);
  const streams = await streamsLabelled('emitter-untrack');
  assert.deepEqual(
    streams.map((stream) => stream.closedBy),
    ['explicit'],
  );
});
