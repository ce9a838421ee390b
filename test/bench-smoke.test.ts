import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = path.resolve(__dirname, '..', '..');
const RUNNER = path.join(ROOT, 'dist', 'benchmarks', 'run.js');
/** The subjects the quick run covers here; each must fill its section. */
const SUBJECTS = ['host-cost', 'transport', 'worker', 'heap-snapshot'];

interface Spread {
  median: number;
  min: number;
  max: number;
  repeats: number;
}

interface Results {
  date: string;
  mode: string;
  machine: { cpu: string; cores: number; node: string };
  sections: Array<{
    subject: string;
    method: string;
    error?: string;
    rows: Array<{ measure: string; unit: string; value: Spread | null; note?: string }>;
  }>;
}

let dir = '';
let exitStatus: number | null = null;
let exitSignal: NodeJS.Signals | null = null;
let results: Results | null = null;
let markdown = '';

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pinwatch-bench-smoke-'));
  const child = spawnSync(
    process.execPath,
    [RUNNER, '--quick', '--only', SUBJECTS.join(','), '--results-dir', dir],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
  );
  exitStatus = child.status;
  exitSignal = child.signal;
  try {
    results = JSON.parse(readFileSync(path.join(dir, 'results-quick.json'), 'utf8')) as Results;
    markdown = readFileSync(path.join(dir, 'RESULTS-quick.md'), 'utf8');
  } catch {
    results = null;
  }
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('the quick run exits on its own with success', () => {
  assert.equal(exitSignal, null);
  assert.equal(exitStatus, 0);
});

test('the results name the machine, the date and the mode', () => {
  assert.ok(results);
  assert.equal(results.mode, 'quick');
  assert.ok(!Number.isNaN(Date.parse(results.date)));
  assert.ok(results.machine.cores >= 1);
  assert.match(results.machine.node, /^v\d+/);
  assert.notEqual(results.machine.cpu, '');
});

test('every subject run has a section with a method and rows', () => {
  assert.ok(results);
  assert.deepEqual(
    results.sections.map((section) => section.subject),
    SUBJECTS,
  );
  for (const section of results.sections) {
    assert.equal(section.error, undefined, `${section.subject} failed: ${section.error}`);
    assert.notEqual(section.method, '');
    assert.ok(section.rows.length > 0, `${section.subject} has no rows`);
  }
});

test('every row has a finite spread or says why it was not measured', () => {
  assert.ok(results);
  for (const section of results.sections) {
    for (const row of section.rows) {
      if (row.value === null) {
        assert.match(row.note ?? '', /^not measured: /, row.measure);
        continue;
      }
      const { median, min, max, repeats } = row.value;
      assert.ok(repeats >= 1, row.measure);
      assert.ok([median, min, max].every(Number.isFinite), row.measure);
      assert.ok(min <= median && median <= max, row.measure);
    }
  }
});

test('the markdown page has a table per section', () => {
  for (const subject of SUBJECTS) assert.ok(results?.sections.some((s) => s.subject === subject));
  const tables = markdown.split('\n').filter((line) => line.startsWith('| Measure |'));
  assert.equal(tables.length, SUBJECTS.length);
  assert.match(markdown, /Machine: .+ cores/);
});
