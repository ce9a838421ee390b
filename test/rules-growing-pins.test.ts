import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineHarness, openStreams } from './support/engine-harness';

test('a stream whose live count rises at every scan is growing', () => {
  const h = new EngineHarness({ heldThreshold: 1000, heldAgeMs: 1e9 });
  openStreams(h, [1]);
  let slot = 1;
  const kinds: string[][] = [];
  for (let scanIndex = 0; scanIndex < 5; scanIndex++) {
    h.apply((b) => {
      for (let i = 0; i < 3; i++, slot++) b.deliver(1, slot).consume(slot);
    });
    h.settledGc();
    kinds.push(h.kindsOf(h.scan(), 1));
  }
  assert.deepEqual(kinds.slice(0, 3), [[], [], []]);
  assert.deepEqual(kinds[4], ['growing']);
});

test('a stream that rises then levels off is not growing', () => {
  const h = new EngineHarness({ heldThreshold: 1000, heldAgeMs: 1e9 });
  openStreams(h, [1]);
  let slot = 1;
  for (let scanIndex = 0; scanIndex < 6; scanIndex++) {
    if (scanIndex < 3) {
      h.apply((b) => {
        for (let i = 0; i < 3; i++, slot++) b.deliver(1, slot).consume(slot);
      });
    }
    h.settledGc();
    if (scanIndex === 5) assert.deepEqual(h.kindsOf(h.scan(), 1), []);
    else h.scan();
  }
});

test('growth below the minimum live count is not reported', () => {
  const h = new EngineHarness({ growingMin: 100, heldThreshold: 1000, heldAgeMs: 1e9 });
  openStreams(h, [1]);
  let slot = 1;
  let last: string[] = [];
  for (let scanIndex = 0; scanIndex < 6; scanIndex++) {
    h.apply((b) => b.deliver(1, slot).consume(slot++));
    h.settledGc();
    last = h.kindsOf(h.scan(), 1);
  }
  assert.deepEqual(last, []);
});

test('past the pin limit the oldest key is force-unpinned and its holders are named', () => {
  const h = new EngineHarness({ pinLimit: 3 });
  openStreams(h, [1, 2]);
  h.apply((b) => {
    for (let i = 1; i <= 3; i++) b.defineString(100 + i, `0x0${i}`);
    b.deliver(1, 1, 101).consume(1);
    b.deliver(2, 2, 101).consume(2);
  });
  h.advance(10);
  h.apply((b) => b.deliver(1, 3, 102).deliver(1, 4, 103));
  assert.equal(h.engine.keys.size, 3);
  h.advance(10);
  h.apply((b) => b.defineString(104, '0x04').deliver(1, 5, 104));
  assert.equal(h.engine.keys.size, 3);
  const eviction = h.engine.evictions[0];
  assert.equal(eviction.key, '0x01');
  assert.deepEqual([...eviction.holders.entries()].sort(), [
    [1, 1],
    [2, 1],
  ]);
  const finding = h.scan().findings.find((f) => f.kind === 'pin-limit');
  assert.ok(finding);
  assert.equal(finding.evicted, 1);
  assert.equal(finding.holders?.[0].stream, 1);
});

test('releasing a force-unpinned notification does not disturb the new pins', () => {
  const h = new EngineHarness({ pinLimit: 1 });
  openStreams(h, [1]);
  h.apply((b) => b.defineString(101, '0x01').defineString(102, '0x02'));
  h.apply((b) => b.deliver(1, 1, 101).deliver(1, 2, 102).release(1));
  const keys = [...h.engine.keys.entries()];
  assert.deepEqual(
    keys.map((k) => [k.key, k.refs]),
    [['0x02', 1]],
  );
});

test('pins under the limit make no pin-limit finding', () => {
  const h = new EngineHarness({ pinLimit: 3 });
  openStreams(h, [1]);
  h.apply((b) => b.defineString(101, '0x01').deliver(1, 1, 101));
  assert.equal(
    h.scan().findings.some((f) => f.kind === 'pin-limit'),
    false,
  );
});
