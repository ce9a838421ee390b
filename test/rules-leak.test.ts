import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLOSED_BY_GC, Op, TIME_SPLIT } from '../src/shared/protocol';
import { EngineHarness, openStreams } from './support/engine-harness';

function closedHolding(h: EngineHarness, closeFlags = 0): void {
  openStreams(h, [1]);
  h.apply((b) => {
    for (let slot = 1; slot <= 3; slot++) b.deliver(1, slot).consume(slot);
    b.close(1, closeFlags);
  });
}

test('a closed stream still holding notifications after a settled full GC is a leak', () => {
  const h = new EngineHarness();
  closedHolding(h);
  h.settledGc();
  const result = h.scan();
  const leak = result.findings.find((f) => f.kind === 'leak');
  assert.ok(leak);
  assert.equal(leak.stream, 1);
  assert.equal(leak.held, 3);
  assert.equal(leak.closedBy, 'explicit');
  assert.equal(leak.site, '/app/src/consumer.js:12:5');
});

test('a closed stream is not a leak while no full GC has run since the close', () => {
  const h = new EngineHarness();
  h.settledGc();
  closedHolding(h);
  const result = h.scan();
  assert.deepEqual(h.kindsOf(result, 1), []);
  assert.equal(result.awaitingGc, 1);
});

test('a leak waits until the GC has had its settle time to run callbacks', () => {
  const h = new EngineHarness();
  closedHolding(h);
  h.apply((b) => b.majorGc());
  h.advance(h.settings.gcSettleMs - 1);
  assert.deepEqual(h.kindsOf(h.scan(), 1), []);
  h.advance(2);
  assert.deepEqual(h.kindsOf(h.scan(), 1), ['leak']);
});

test('notifications collected after the close leave no leak behind', () => {
  const h = new EngineHarness();
  closedHolding(h);
  h.apply((b) => b.collect(1).collect(2).collect(3));
  h.settledGc();
  assert.deepEqual(h.kindsOf(h.scan(), 1), []);
  assert.equal(h.engine.streams.size, 0);
});

test('a stream whose handle was collected unclosed is reported as closed by GC', () => {
  const h = new EngineHarness();
  closedHolding(h, CLOSED_BY_GC);
  h.settledGc();
  const leak = h.scan().findings[0];
  assert.equal(leak.kind, 'leak');
  assert.equal(leak.closedBy, 'gc');
  assert.match(leak.message, /garbage collected/);
});

test('a full GC within the grace time after the close does not decide a leak', () => {
  const h = new EngineHarness({ closeGraceMs: 2000 });
  closedHolding(h);
  h.settledGc();
  assert.deepEqual(h.kindsOf(h.scan(), 1), []);
  h.advance(2000);
  h.settledGc();
  assert.deepEqual(h.kindsOf(h.scan(), 1), ['leak']);
});

test('a full GC that was already marking when the stream closed does not decide a leak', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  const closedAt = h.now;
  h.apply((b) => {
    for (let slot = 1; slot <= 3; slot++) b.deliver(1, slot).consume(slot);
    b.record(Op.STREAM_CLOSED, 0, 1, Math.floor(closedAt / TIME_SPLIT), closedAt % TIME_SPLIT);
  });
  h.advance(50);
  // Ended 50 ms after the close, but began marking (incrementally) 150 ms before its end.
  const endedAt = h.now;
  h.apply((b) =>
    b.record(Op.GC_OBSERVED, 150, 1, Math.floor(endedAt / TIME_SPLIT), endedAt % TIME_SPLIT),
  );
  h.advance(h.settings.gcSettleMs + 1);
  assert.deepEqual(h.kindsOf(h.scan(), 1), []);
  h.settledGc();
  assert.deepEqual(h.kindsOf(h.scan(), 1), ['leak']);
});
