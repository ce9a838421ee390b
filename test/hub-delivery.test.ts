import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockHeader, ForceUnpin } from '../src/main/index';
import { InMemoryBackend, NotificationHub, isEnabled, track } from '../src/main/index';

// PINWATCH is not set in this process: everything here runs with the agent off.

function header(number: number): BlockHeader {
  return { hash: `0x${number.toString(16).padStart(4, '0')}`, number, parentHash: '0x00' };
}

test('each stream gets a notification object of its own for the same block', async () => {
  const hub = new NotificationHub();
  const first = hub.importNotificationStream();
  const second = hub.importNotificationStream();
  assert.equal(hub.notifyImported(header(1)), 2);
  const a = await first.next();
  const b = await second.next();
  assert.ok(!a.done && !b.done);
  assert.notEqual(a.value, b.value);
  assert.equal(a.value.header, b.value.header);
  assert.equal(a.value.hash, '0x0001');
});

test('release and dispose unpin the block once each', async () => {
  const backend = new InMemoryBackend();
  const hub = new NotificationHub({ backend });
  const first = hub.finalityNotificationStream();
  const second = hub.finalityNotificationStream();
  hub.notifyFinalized(header(7), { treeRoute: ['0x0006'] });
  assert.equal(backend.refsOf('0x0007'), 2);
  const a = await first.next();
  const b = await second.next();
  assert.ok(!a.done && !b.done);
  a.value.release();
  a.value.release();
  assert.equal(backend.refsOf('0x0007'), 1);
  {
    using disposed = b.value;
    assert.deepEqual(disposed.treeRoute, ['0x0006']);
  }
  assert.equal(b.value.released, true);
  assert.equal(backend.pinnedCount, 0);
});

test('closing a stream releases its queue and ends a waiting consumer', async () => {
  const backend = new InMemoryBackend();
  const hub = new NotificationHub({ backend });
  const queued = hub.importNotificationStream();
  const waiting = hub.importNotificationStream();
  hub.notifyImported(header(1));
  hub.notifyImported(header(2));
  await waiting.next();
  await waiting.next();
  const pending = waiting.next();
  queued.close();
  await waiting.return();
  assert.deepEqual(await pending, { done: true, value: undefined });
  assert.deepEqual(await queued.next(), { done: true, value: undefined });
  assert.equal(hub.streamCount, 0);
  // The two notifications the waiting consumer took still pin their blocks.
  assert.equal(backend.pinnedCount, 2);
});

test('the import stream skips initial-sync blocks that every-import streams receive', async () => {
  const hub = new NotificationHub();
  const tip = hub.importNotificationStream();
  const every = hub.everyImportNotificationStream();
  hub.notifyImported(header(1), { origin: 'network-initial-sync' });
  hub.notifyImported(header(2), { origin: 'network-broadcast', isNewBest: false });
  const fromEvery = [await every.next(), await every.next()];
  const fromTip = await tip.next();
  assert.deepEqual(
    fromEvery.map((result) => (result.done ? null : result.value.origin)),
    ['network-initial-sync', 'network-broadcast'],
  );
  assert.ok(!fromTip.done);
  assert.equal(fromTip.value.number, 2);
  assert.equal(fromTip.value.isNewBest, false);
  assert.equal(tip.queued, 0);
});

test('the backend force-unpins the oldest block past its limit and names its holders', () => {
  const events: ForceUnpin[] = [];
  const backend = new InMemoryBackend({ limit: 2, onForceUnpin: (event) => events.push(event) });
  const hub = new NotificationHub({ backend });
  hub.importNotificationStream({ name: 'explorer cache' });
  hub.importNotificationStream();
  for (let number = 1; number <= 3; number++) hub.notifyImported(header(number));
  assert.equal(backend.pinnedCount, 2);
  assert.equal(backend.forceUnpinned, 1);
  assert.equal(events.length, 1);
  assert.equal(events[0].hash, '0x0001');
  assert.equal(events[0].refs, 2);
  assert.deepEqual(
    events[0].holders.map((holder) => [holder.name, holder.count, holder.stream]),
    [
      ['explorer cache', 1, 0],
      ['import stream 2', 1, 0],
    ],
  );
  assert.equal(backend.isPinned('0x0001'), false);
});

test('an invalid backend limit falls back to the default', () => {
  assert.equal(new InMemoryBackend({ limit: 0 }).limit, 1024);
});

test('with the agent off, track() returns a hub stream itself', () => {
  const stream = new NotificationHub().finalityNotificationStream();
  assert.equal(isEnabled(), false);
  assert.equal(track(stream), stream);
});
