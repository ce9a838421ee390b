import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, ROOT, runNode } from './support/child';

const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'index.js');
const RECORDED = join(FIXTURES, 'report-recorded-run.jsonl');

function inTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinwatch-cli-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'report prints the worst streams first and writes a self-contained page',
  inTempDir(async (dir) => {
    const page = join(dir, 'report.html');
    const result = await runNode([CLI, 'report', RECORDED, '-o', page]);
    assert.equal(result.timedOut, false);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const rows = result.stdout.split('\n');
    const first = rows.findIndex((row) => row.startsWith('#'));
    assert.match(
      rows[first],
      /^#1 \(closed\)\s+import\s+50\s+50\s+0\s+held,growing,leak\s+src\/feeds/,
    );
    assert.match(rows[first + 1], /^#2 \(closed\)\s+finality/);
    assert.match(result.stdout, /12 scans, 4 findings/);
    const html = readFileSync(page, 'utf8');
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//, 'nothing is loaded from elsewhere');
    assert.match(html, /<svg id="live-chart"/);
    assert.match(html, /src\/feeds\/chain-feeds\.js:7:29/);
  }),
);

test(
  'malformed and cut-short lines are named by number and the good lines still count',
  inTempDir(async (dir) => {
    const lines = readFileSync(RECORDED, 'utf8').trim().split('\n');
    const broken = [
      ...lines.slice(0, 3),
      '{"type":"scan","v":1,"time":',
      '[1,2]',
      ...lines.slice(3),
      '{"type":"final","v":1,"time":"2026-12-',
    ].join('\n');
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, broken);
    const page = join(dir, 'broken.html');
    const result = await runNode([CLI, 'report', file, '-o', page]);
    assert.equal(result.timedOut, false);
    assert.equal(result.code, 1, 'bad lines make the exit code 1');
    const errors = result.stderr.trim().split('\n');
    assert.match(errors[0], /broken\.jsonl:4: not valid JSON/);
    assert.match(errors[1], /broken\.jsonl:5: not a JSON object/);
    assert.match(errors[2], new RegExp(`broken\\.jsonl:${lines.length + 3}: cut short`));
    assert.match(errors[3], new RegExp(`3 bad lines left out; ${lines.length} good lines used`));
    assert.match(result.stdout, /12 scans, 4 findings/, 'every good line is used');
    assert.match(readFileSync(page, 'utf8'), /line 4: not valid JSON/);
  }),
);

test(
  'a line of a newer schema version is refused by number, unknown types are skipped',
  inTempDir(async (dir) => {
    const file = join(dir, 'newer.jsonl');
    const time = '2026-12-03T18:56:43.666Z';
    writeFileSync(
      file,
      `{"type":"scan","v":2,"time":"${time}"}\n{"type":"gauge","v":1,"time":"${time}"}\n`,
    );
    const result = await runNode([CLI, 'report', file]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /newer\.jsonl:1: schema version 2 is newer than this pinwatch/);
    assert.doesNotMatch(result.stderr, /newer\.jsonl:2/);
  }),
);

test('usage errors and unreadable files exit with 2 and one clear line', async () => {
  const missing = await runNode([CLI, 'report', '/nonexistent/run.jsonl']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^pinwatch: cannot read \/nonexistent\/run\.jsonl: ENOENT/);
  const unknown = await runNode([CLI, 'summarise']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "summarise"\nusage: pinwatch report/);
  const noFile = await runNode([CLI, 'report', '-o']);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /-o needs a file name/);
});
