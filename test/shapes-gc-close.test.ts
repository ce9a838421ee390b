import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Snapshot } from '../src/main/index';
import { runFixture } from './fixtures/shapes-harness';

test('consumers dropped without closing are reported closed by GC, without a leak', () => {
  const run = runFixture('shapes-dropped-consumers');
  assert.equal(run.signal, null, `fixture was killed: ${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
  const view = run.result as Snapshot;
  const byLabel = new Map(view.streams.map((stream) => [stream.label, stream]));
  const expected: Array<[string, number]> = [
    ['dropped-observable', 0],
    ['dropped-callback', 1],
    ['dropped-emitter', 1],
    ['dropped-readable', 5],
  ];
  for (const [label, delivered] of expected) {
    const stream = byLabel.get(label);
    assert.ok(stream, `no stream labelled ${label}`);
    assert.deepEqual(
      [stream.delivered, stream.queued, stream.closedBy],
      [delivered, 0, 'gc'],
      label,
    );
  }
  assert.deepEqual(
    view.findings.filter((finding) => finding.kind === 'leak'),
    [],
  );
});
