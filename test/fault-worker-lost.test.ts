import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENTRY, FIXTURES, runNode } from './support/child';

interface Outcome {
  delivered: number;
  kept: number;
  restarts: number;
  alive: boolean;
  leaks: [string, number][] | null;
}

const fixture = join(FIXTURES, 'fault-worker-terminated.js');

test('a terminated worker is restarted and delivery never notices', async () => {
  const result = await runNode(['--expose-gc', fixture], { PINWATCH_ENTRY: ENTRY });
  assert.equal(result.timedOut, false);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as Outcome;
  assert.equal(report.delivered, 1000);
  assert.equal(report.restarts, 2);
  assert.deepEqual(report.leaks, [['import', 15]]);
  const restartLines = result.stderr.split('\n').filter((line) => /restarted/.test(line));
  assert.equal(restartLines.length, 2);
});

test('a worker lost more than three times stops tracking and the host carries on', async () => {
  const result = await runNode(['--expose-gc', fixture], {
    PINWATCH_ENTRY: ENTRY,
    TERMINATIONS: '5',
  });
  assert.equal(result.timedOut, false);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as Outcome;
  assert.deepEqual([report.delivered, report.kept], [1000, 15]);
  assert.deepEqual([report.restarts, report.alive, report.leaks], [3, false, null]);
  assert.match(result.stderr, /tracking stopped; the host carries on/);
});
