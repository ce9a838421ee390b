import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENTRY, FIXTURES, runNode } from './support/child';

interface ReportLine {
  type: string;
  kind?: string;
  stream?: number;
  label?: string;
  site?: string;
  held?: number;
}

test('a closed iterable whose values are kept is the only leak, at its own line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-integration-'));
  try {
    const reportFile = join(dir, 'report.jsonl');
    const fixture = join(FIXTURES, 'integration-two-iterables.js');
    const result = await runNode(['--expose-gc', fixture], {
      PINWATCH_ENTRY: ENTRY,
      PINWATCH_REPORT_FILE: reportFile,
    });
    assert.equal(result.timedOut, false, 'the child exits by itself');
    assert.equal(result.code, 0, result.stderr);

    const lines = readFileSync(reportFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ReportLine);
    const findings = lines.filter((line) => line.type === 'finding');
    assert.deepEqual(
      findings.map((f) => [f.kind, f.label, f.held]),
      [['leak', 'import', 12]],
    );
    const relative = join('test', 'fixtures', 'integration-two-iterables.js');
    assert.equal(findings[0].site, `${relative}:22:29`);
    assert.ok(
      lines.some((line) => line.type === 'final'),
      'the final report is written at exit',
    );
    assert.match(result.stderr, /LEAK stream #2 \(import\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
