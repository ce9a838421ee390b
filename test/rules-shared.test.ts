import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineHarness, openStreams } from './support/engine-harness';

/** Streams 1 and 2 receive the same 20 objects; stream 2's consumer keeps them. */
function sharedHoard(h: EngineHarness): void {
  openStreams(h, [1, 2]);
  h.apply((b) => {
    for (let i = 0; i < 20; i++) {
      const first = 1 + i * 2;
      b.deliver(1, first, 0, 1)
        .deliver(2, first + 1, 0, 1)
        .share(first + 1, first);
    }
  });
  h.settledGc();
}

test('objects shared with a hoarder yield one shared finding naming both, blaming neither', () => {
  const h = new EngineHarness();
  sharedHoard(h);
  const findings = h.scan().findings;
  assert.deepEqual(
    findings.map((f) => f.kind),
    ['shared'],
  );
  assert.equal(findings[0].stream, 0);
  assert.deepEqual(
    findings[0].sharedWith?.map((ref) => ref.stream),
    [1, 2],
  );
});

test('a stream that received its own objects and keeps them is held, not shared', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  h.apply((b) => {
    for (let i = 0; i < 20; i++) b.deliver(2, 100 + i, 0, 1);
  });
  h.settledGc();
  const findings = h.scan().findings;
  assert.deepEqual(
    findings.map((f) => [f.kind, f.stream]),
    [['held', 2]],
  );
});

test('shared holdings under the threshold make no finding', () => {
  const h = new EngineHarness({ heldThreshold: 100 });
  sharedHoard(h);
  assert.deepEqual(h.scan().findings, []);
});
