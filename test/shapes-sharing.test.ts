import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Snapshot } from '../src/main/index';
import { runFixture } from './fixtures/shapes-harness';

interface SharingResult {
  view: Snapshot;
  healthy: number;
  hoarder: number;
  kept: number;
}

const runs = new Map<string, SharingResult>();

/** Runs the fixture once per environment; several tests read the same run. */
function runSharing(env: Record<string, string>): SharingResult {
  const key = JSON.stringify(env);
  const cached = runs.get(key);
  if (cached !== undefined) return cached;
  const run = runFixture('shapes-subject-sharing', env);
  assert.equal(run.signal, null, `fixture was killed: ${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.result, `no result printed: ${run.stdout}${run.stderr}`);
  runs.set(key, run.result as SharingResult);
  return run.result as SharingResult;
}

const BLAMING = new Set(['leak', 'held', 'growing', 'slow']);

function blamingFindings(view: Snapshot, stream: number) {
  return view.findings.filter((finding) => finding.stream === stream && BLAMING.has(finding.kind));
}

test('a healthy subscriber sharing objects with a hoarder is not blamed', () => {
  const { view, healthy, hoarder, kept } = runSharing({});
  assert.equal(kept, 40);
  assert.deepEqual(blamingFindings(view, healthy), []);
  assert.deepEqual(blamingFindings(view, hoarder), []);
});

test('a shared finding names both subscribers with their subscribe sites', () => {
  const { view, healthy, hoarder } = runSharing({});
  const shared = view.findings.filter((finding) => finding.kind === 'shared');
  assert.equal(shared.length, 1);
  const [finding] = shared;
  assert.equal(finding.held, 40);
  const refs = finding.sharedWith ?? [];
  assert.deepEqual(
    refs.map((ref) => ref.stream),
    [healthy, hoarder],
  );
  for (const ref of refs) {
    assert.match(ref.site, /test[\\/]fixtures[\\/]shapes-subject-sharing\.ts:\d+:\d+$/);
  }
  assert.notEqual(refs[0].site, refs[1].site);
});

test('growth of shared objects is not blamed on the healthy subscriber', () => {
  const { view, healthy } = runSharing({ SHAPES_GROWTH: '1' });
  assert.deepEqual(blamingFindings(view, healthy), []);
});

test('with copies the hoarder alone is reported as holding its blocks', () => {
  const { view, healthy, hoarder } = runSharing({ SHAPES_COPY: '1' });
  assert.deepEqual(blamingFindings(view, healthy), []);
  const onHoarder = blamingFindings(view, hoarder);
  assert.equal(onHoarder.length, 1);
  assert.equal(onHoarder[0].kind, 'held');
  assert.equal(onHoarder[0].held, 40);
  assert.equal(
    view.findings.some((finding) => finding.kind === 'shared'),
    false,
  );
  const streams = new Map(view.streams.map((stream) => [stream.stream, stream]));
  assert.equal(streams.get(healthy)?.held, 0);
  assert.equal(streams.get(hoarder)?.held, 40);
});

test('sampled tracking estimates the held count from one in N notifications', () => {
  const { view, hoarder } = runSharing({ SHAPES_COPY: '1', SHAPES_GC: '4' });
  const [finding] = blamingFindings(view, hoarder);
  assert.equal(finding.kind, 'held');
  assert.equal(finding.sampleEvery, 4);
  assert.equal(finding.held, 40);
  // 10 sampled of 40: the estimate's standard error is 4 x sqrt(10).
  assert.equal(finding.heldError, Math.round(4 * Math.sqrt(10)));
});

test('with GC tracking off deliveries are still counted and nothing is held', () => {
  const { view, healthy, hoarder } = runSharing({ SHAPES_GC: 'off' });
  assert.deepEqual(view.findings, []);
  for (const stream of view.streams) {
    assert.ok([healthy, hoarder].includes(stream.stream));
    assert.deepEqual([stream.delivered, stream.held, stream.live], [40, 0, 0]);
  }
});
