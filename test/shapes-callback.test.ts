import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { start, stop, track, untrack } from '../src/main/index';
import { streamsLabelled } from './fixtures/shapes-harness';

before(() => start({ intervalMs: 60_000, logLevel: 'silent' }));
after(() => stop());

interface Header {
  hash: { toHex(): string };
  number: number;
}

type Callback = (header: Header) => void;

/** A source shaped like @polkadot/api's rpc.chain.subscribeNewHeads. */
function headerSource() {
  const callbacks = new Set<Callback>();
  const subscribeNewHeads = async (callback: Callback): Promise<() => void> => {
    callbacks.add(callback);
    return () => callbacks.delete(callback);
  };
  Object.assign(subscribeNewHeads, { raw: 'raw form', meta: { method: 'subscribeNewHead' } });
  const emit = (number: number) => {
    const header = { hash: { toHex: () => `0x${number.toString(16)}` }, number };
    for (const callback of callbacks) callback(header);
  };
  return { subscribeNewHeads, emit, callbacks };
}

test('a subscribe function comes back as a function with the same properties', () => {
  const { subscribeNewHeads } = headerSource();
  const tracked = track(subscribeNewHeads, { label: 'callback-props' });
  assert.notEqual(tracked, subscribeNewHeads);
  assert.equal(tracked.name, 'subscribeNewHeads');
  assert.equal(tracked.length, 1);
  assert.equal((tracked as unknown as { raw: string }).raw, 'raw form');
  assert.equal(track(tracked, { label: 'callback-props' }), tracked);
  assert.equal(untrack(tracked), subscribeNewHeads);
});

test('each call is a stream, closed by the unsubscribe its promise resolves to', async () => {
  const { subscribeNewHeads, emit, callbacks } = headerSource();
  const tracked = track(subscribeNewHeads, { label: 'callback-promise' });
  const seen: number[] = [];
  const unsubscribe = await tracked((header) => seen.push(header.number));
  const other = await tracked(() => undefined);
  emit(1);
  emit(2);
  unsubscribe();
  emit(3);
  assert.deepEqual(seen, [1, 2]);
  assert.equal(callbacks.size, 1);
  const streams = await streamsLabelled('callback-promise');
  assert.deepEqual(
    streams.map((stream) => [stream.delivered, stream.closedBy]),
    [
      [2, 'explicit'],
      [3, null],
    ],
  );
  assert.match(streams[0].site, /shapes-callback\.test\.ts:\d+:\d+$/);
  other();
});

test('a synchronous unsubscribe function and an unsubscribe object both close', async () => {
  const listeners = new Set<Callback>();
  const direct = track(
    (callback: Callback) => {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    { label: 'callback-sync' },
  );
  const viaObject = track(
    (_filter: string, callback: Callback) => {
      listeners.add(callback);
      return { unsubscribe: () => listeners.delete(callback) };
    },
    { label: 'callback-sync' },
  );
  const stopDirect = direct(() => undefined);
  const subscription = viaObject('finalized', () => undefined);
  assert.equal(listeners.size, 2);
  stopDirect();
  subscription.unsubscribe();
  assert.equal(listeners.size, 0);
  const streams = await streamsLabelled('callback-sync');
  assert.deepEqual(
    streams.map((stream) => stream.closedBy),
    ['explicit', 'explicit'],
  );
});

test('errors of the subscribe call pass through and end the stream', async () => {
  const failure = new Error('not connected');
  const throwing = track(
    (_callback: Callback): (() => void) => {
      throw failure;
    },
    { label: 'callback-errors' },
  );
  const rejecting = track(
    async (_callback: Callback): Promise<() => void> => {
      throw failure;
    },
    { label: 'callback-errors' },
  );
  assert.throws(
    () => throwing(() => undefined),
    (error) => error === failure,
  );
  await assert.rejects(
    rejecting(() => undefined),
    (error) => error === failure,
  );
  const streams = await streamsLabelled('callback-errors');
  assert.deepEqual(
    streams.map((stream) => stream.closedBy),
    ['explicit', 'explicit'],
  );
});

test('a call without a callback is passed through and opens no stream', async () => {
  const query = track((address: string) => `balance of ${address}`, { label: 'callback-none' });
  assert.equal(query('alice'), 'balance of alice');
  assert.deepEqual(await streamsLabelled('callback-none'), []);
});
