import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const folder = mkdtempSync(path.join(tmpdir(), 'pinwatch-demo-test-'));
after(() => rmSync(folder, { recursive: true, force: true }));

interface Verdict {
  name: string;
  healthy: boolean;
  kinds: string[];
  sites: string[];
  named: boolean;
}

/** A short demo: bursts come sooner so that V8 runs a full GC within the run. */
function runDemo(): { stdout: string; status: number | null; verdicts: Verdict[] } {
  const summaryFile = path.join(folder, 'summary.json');
  const child = spawnSync(
    process.execPath,
    [path.join(root, 'dist', 'examples', 'run-demo.js'), '--seconds', '9'],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 40_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, DEMO_BURST_EVERY_MS: '2500', DEMO_SUMMARY_FILE: summaryFile },
    },
  );
  assert.equal(child.signal, null, `demo killed: ${child.stdout}${child.stderr}`);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { verdicts: Verdict[] };
  return { stdout: child.stdout, status: child.status, verdicts: summary.verdicts };
}

/** The line after the consumer's `CULPRIT:` comment: where it opens the leaking stream. */
function culpritLine(name: string): string {
  const file = path.join(root, 'examples', 'consumers', `${name}.ts`);
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes('// CULPRIT:'));
  assert.notEqual(index, -1, `${name}.ts has no CULPRIT comment`);
  return `examples/consumers/${name}.ts:${index + 2}`;
}

const run = runDemo();

test('the demo exits 0 and prints its closing summary', () => {
  assert.equal(run.status, 0, run.stdout);
  assert.match(run.stdout, /Culprits, from the report file:/);
  assert.match(run.stdout, /Without pinwatch:/);
});

test('every leaky consumer is named at its own source line', () => {
  const leaky = run.verdicts.filter((verdict) => !verdict.healthy);
  assert.equal(leaky.length, 5);
  for (const verdict of leaky) {
    assert.deepEqual(verdict.sites, [culpritLine(verdict.name)], verdict.name);
  }
});

test('no healthy consumer is named', () => {
  const healthy = run.verdicts.filter((verdict) => verdict.healthy);
  assert.equal(healthy.length, 2);
  for (const verdict of healthy) assert.equal(verdict.named, false, verdict.name);
});
