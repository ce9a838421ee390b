import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Snapshot } from '../src/main/index';
import { runFixture } from './fixtures/shapes-harness';

interface LateResult {
  view: Snapshot;
  hoarder: number;
  healthy: number;
  kept?: number[];
  total: number;
}

function runCase(env: Record<string, string>): LateResult {
  const run = runFixture('shapes-late-callbacks', env);
  assert.equal(run.signal, null, `fixture was killed: ${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.result, `no result printed: ${run.stdout}${run.stderr}`);
  return run.result as LateResult;
}

function findingsOf(view: Snapshot, stream: number) {
  return view.findings.filter((finding) => finding.stream === stream);
}

test('a head a callback receives after its unsubscribe and keeps is its own leak', () => {
  const { view, hoarder, healthy, kept } = runCase({});
  assert.deepEqual(kept, [1, 2, 3]);
  const [leak] = findingsOf(view, hoarder);
  assert.equal(leak?.kind, 'leak', JSON.stringify(view.findings));
  assert.equal(leak.delivered, 3);
  // Head 3 went to the healthy subscriber as well: it is named, not counted as own.
  assert.equal(leak.held, 2);
  assert.deepEqual(
    leak.sharedWith?.map((ref) => ref.stream),
    [healthy],
  );
});

test('a replayed head a closed hoarder keeps is not blamed on the next subscriber', () => {
  const { view, healthy, total } = runCase({});
  assert.equal(total, 3 + 4 + 5);
  assert.deepEqual(findingsOf(view, healthy), []);
});

test('heads collected before the agent sends its next batch are not held by the agent', () => {
  const { view, healthy, total } = runCase({ SHAPES_CASE: 'quick' });
  assert.equal(total, 6);
  assert.deepEqual(findingsOf(view, healthy), []);
  const stream = view.streams.find((entry) => entry.stream === healthy);
  assert.ok(stream === undefined || stream.held === 0, JSON.stringify(stream));
});
