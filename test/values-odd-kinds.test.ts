import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIXTURES, ENTRY, runNode } from './support/child';
import { join } from 'node:path';

test('values of every odd kind pass through a tracked iterable unchanged', async () => {
  const result = await runNode(['--expose-gc', join(FIXTURES, 'values-odd-kinds.js')], {
    PINWATCH_ENTRY: ENTRY,
  });
  assert.equal(result.timedOut, false);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { same: boolean[]; delivered: number };
  assert.equal(report.same.length, 11);
  assert.deepEqual(
    report.same.map((same, index) => [index, same]),
    report.same.map((_, index) => [index, true]),
  );
  assert.equal(report.delivered, 11);
});
