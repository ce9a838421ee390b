import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineHarness, openStreams } from './support/engine-harness';

function deliverQueued(h: EngineHarness, stream: number, count: number, firstSlot = 1): void {
  h.apply((b) => {
    for (let i = 0; i < count; i++) b.deliver(stream, firstSlot + i);
  });
}

test('an open stream with a queue over the threshold is slow', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  deliverQueued(h, 1, 11);
  assert.deepEqual(h.kindsOf(h.scan(), 1), ['slow']);
});

test('a queue exactly at the threshold and young is not slow', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  deliverQueued(h, 1, 10);
  assert.deepEqual(h.kindsOf(h.scan(), 1), []);
});

test('a short queue whose oldest notification waited past the bound is slow', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  deliverQueued(h, 1, 2);
  h.advance(h.settings.slowAgeMs + 1);
  const finding = h.scan().findings[0];
  assert.equal(finding.kind, 'slow');
  assert.ok(finding.oldestAgeMs > h.settings.slowAgeMs);
});

test('a consumer that keeps up is never slow', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  for (let round = 0; round < 20; round++) {
    h.apply((b) => b.deliver(1, 1).consume(1).release(1));
    h.advance(1000);
  }
  assert.deepEqual(h.kindsOf(h.scan(), 1), []);
});

function takeAndKeep(h: EngineHarness, stream: number, count: number, firstSlot = 1): void {
  h.apply((b) => {
    for (let i = 0; i < count; i++) b.deliver(stream, firstSlot + i).consume(firstSlot + i);
  });
}

test('an open stream keeping more taken notifications than the threshold is held', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  takeAndKeep(h, 1, 11);
  h.settledGc();
  const finding = h.scan().findings[0];
  assert.equal(finding.kind, 'held');
  assert.equal(finding.held, 11);
});

test('holdings not yet past a full GC are not held, they may be garbage', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  h.settledGc();
  takeAndKeep(h, 1, 50);
  assert.deepEqual(h.kindsOf(h.scan(), 1), []);
});

test('holdings exactly at the threshold and young are not held', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  takeAndKeep(h, 1, 10);
  h.settledGc();
  assert.deepEqual(h.kindsOf(h.scan(), 1), []);
});

test('one notification kept past the age bound is held', () => {
  const h = new EngineHarness();
  openStreams(h, [1]);
  takeAndKeep(h, 1, 1);
  h.advance(h.settings.heldAgeMs + 1);
  h.settledGc();
  assert.deepEqual(h.kindsOf(h.scan(), 1), ['held']);
});
