import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENTRY, FIXTURES, runNode } from './support/child';

test('stop() lets the worker end by itself and the code after it runs', async () => {
  const result = await runNode([join(FIXTURES, 'agent-stop-start.js')], { PINWATCH_ENTRY: ENTRY });
  assert.equal(result.timedOut, false);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    rounds: { seen: number; enabledAfterStop: boolean }[];
    workers: number;
  };
  assert.deepEqual(
    report.rounds,
    [1, 2, 3].map(() => ({ seen: 100, enabledAfterStop: false })),
  );
  assert.equal(report.workers, 0);
  assert.doesNotMatch(result.stderr, /terminat|failed/);
});
