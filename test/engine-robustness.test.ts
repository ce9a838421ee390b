import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Op, RECORD_INTS, packOp } from '../src/shared/protocol';
import { EngineHarness, openStreams } from './support/engine-harness';

test('records about unknown streams create an unknown entry instead of failing', () => {
  const h = new EngineHarness();
  h.apply((b) => b.deliver(42, 1).consume(1).close(42));
  const entry = h.engine.streams.get(42)!;
  assert.equal(entry.unknown, true);
  assert.equal(entry.held, 1);
  assert.equal(h.engine.anomalies.unknownStreams, 1);
});

test('impossible ids and slots are rejected and counted', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  h.apply((b) => {
    b.deliver(-3, 1);
    b.deliver(1, -1);
    b.deliver(1, 1 << 30);
    b.consume(0);
    b.record(Op.STREAM_OPENED, 0, 0, 0, 0);
    b.record(Op.STRING_DEFINED, 0, 5, 99);
  });
  assert.equal(h.engine.anomalies.rejected, 6);
});

test('a release for a slot that is not live is stale, not a crash', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  h.apply((b) => b.release(7).collect(7).consume(7));
  h.apply((b) => b.deliver(1, 7).consume(7).consume(7));
  assert.equal(h.engine.anomalies.staleSlots, 4);
  assert.equal(h.engine.streams.get(1)!.held, 1);
});

test('a slot delivered again before its release was seen is reclaimed', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  h.apply((b) => b.deliver(1, 3).consume(3).deliver(2, 3));
  assert.equal(h.engine.streams.get(1)!.held, 0);
  assert.equal(h.engine.streams.get(2)!.queued, 1);
  assert.equal(h.engine.anomalies.staleSlots, 1);
});

test('unknown ops are counted and the rest of the batch still applies', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  const view = new Int32Array([packOp(200 as Op, 0), 1, 2, 3, packOp(Op.DELIVERED, 0), 1, 4, 0]);
  h.engine.applyRecords(view, view.length, [], h.now);
  assert.equal(h.engine.anomalies.unknownOps, 1);
  assert.equal(h.engine.streams.get(1)!.queued, 1);
});

test('a length past the buffer or off the record size is clipped', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  const view = new Int32Array([packOp(Op.DELIVERED, 0), 1, 4, 0, packOp(Op.DELIVERED, 0)]);
  const before = h.engine.recordsApplied;
  h.engine.applyRecords(view, 1000, [], h.now);
  assert.equal(h.engine.recordsApplied, before + 1);
  h.engine.applyRecords(view.subarray(0, RECORD_INTS + 2), RECORD_INTS + 2, [], h.now);
  assert.equal(h.engine.recordsApplied, before + 2);
  assert.equal(h.engine.anomalies.rejected, 0);
});
