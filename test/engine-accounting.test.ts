import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONSUME_RELEASE_NOW,
  DELIVERY_CONSUMED,
  DELIVERY_RELEASE_NOW,
  STREAM_EXPLICIT_RELEASE,
  STREAM_TRACKS_HOLD,
} from '../src/shared/protocol';
import { EngineHarness, openStreams } from './support/engine-harness';

test('a delivered notification is queued until consumed, then held until released', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  h.apply((b) => b.deliver(1, 5));
  const entry = h.engine.streams.get(1)!;
  assert.deepEqual([entry.delivered, entry.queued, entry.held], [1, 1, 0]);
  h.apply((b) => b.consume(5));
  assert.deepEqual([entry.consumed, entry.queued, entry.held], [1, 0, 1]);
  h.apply((b) => b.release(5));
  assert.deepEqual([entry.released, entry.queued, entry.held], [1, 0, 0]);
  assert.equal(h.engine.slots.live, 0);
});

test('a consumption without hold tracking releases at once', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  h.apply((b) => b.deliver(1, 3).consume(3, CONSUME_RELEASE_NOW));
  const entry = h.engine.streams.get(1)!;
  assert.deepEqual([entry.consumed, entry.released, entry.held], [1, 1, 0]);
  assert.equal(h.engine.slots.live, 0);
});

test('a callback delivery is taken at delivery and counts only when its hold is followed', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  h.apply((b) => b.deliver(1, 0, 0, DELIVERY_CONSUMED | DELIVERY_RELEASE_NOW));
  h.apply((b) => b.deliver(1, 9, 0, DELIVERY_CONSUMED));
  const entry = h.engine.streams.get(1)!;
  assert.deepEqual([entry.delivered, entry.consumed, entry.held, entry.released], [2, 2, 1, 1]);
});

test('a collection on a stream offering release() counts as a missing dispose', () => {
  const h = new EngineHarness();
  h.apply((b) => {
    b.defineString(1, 'finality');
    b.open(1, 1, 0, STREAM_TRACKS_HOLD | STREAM_EXPLICIT_RELEASE);
    b.open(2, 1, 0, STREAM_TRACKS_HOLD);
    b.deliver(1, 1).consume(1).collect(1);
    b.deliver(2, 2).consume(2).collect(2);
  });
  assert.equal(h.engine.streams.get(1)!.collectedUnreleased, 1);
  assert.equal(h.engine.streams.get(2)!.collectedUnreleased, 0);
  assert.equal(h.engine.streams.get(2)!.collected, 1);
});

test('keys are pinned per notification and unpinned on release', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  h.apply((b) => {
    b.defineString(10, '0xaa');
    b.deliver(1, 1, 10).deliver(2, 2, 10);
  });
  const entry = [...h.engine.keys.entries()][0];
  assert.equal(entry.key, '0xaa');
  assert.equal(entry.refs, 2);
  h.apply((b) => b.consume(1, CONSUME_RELEASE_NOW));
  assert.equal(entry.refs, 1);
  h.apply((b) => b.consume(2).release(2));
  assert.equal(h.engine.keys.size, 0);
});

test('a string id defined again names the new string from then on', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  h.apply((b) => b.defineString(10, '0xaa').deliver(1, 1, 10));
  h.apply((b) => b.defineString(10, '0xbb').deliver(1, 2, 10));
  const keys = [...h.engine.keys.entries()].map((entry) => entry.key).sort();
  assert.deepEqual(keys, ['0xaa', '0xbb']);
});

test('closed streams with nothing live leave the table at the next scan', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  h.apply((b) => b.deliver(1, 1).consume(1).release(1).close(1).close(2));
  h.scan();
  assert.equal(h.engine.streams.size, 0);
});

test('records the host dropped are counted by op', () => {
  const h = new EngineHarness();
  h.engine.countDropped([0, 0, 0, 7, 2]);
  h.engine.countDropped('nonsense');
  h.engine.countDropped([0, -1, 'x', 3]);
  assert.equal(h.engine.anomalies.droppedTotal, 12);
  assert.equal(h.engine.anomalies.dropped[3], 10);
});

test('the collection of a shared object frees every stream that received it', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2, 3]);
  h.apply((b) => {
    b.deliver(1, 1, 0, DELIVERY_CONSUMED).deliver(2, 2, 0, DELIVERY_CONSUMED).share(2, 1);
    b.deliver(3, 3, 0, DELIVERY_CONSUMED).share(3, 1);
    b.deliver(1, 4, 0, DELIVERY_CONSUMED);
  });
  h.apply((b) => b.collect(1));
  const collected = [1, 2, 3].map((id) => h.engine.streams.get(id)!.collected);
  assert.deepEqual(collected, [1, 1, 1]);
  assert.equal(h.engine.slots.live, 1, 'the unrelated notification stays');
});
