import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENTRY, FIXTURES, REGISTER, runNode } from './support/child';

interface Expected {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const MODES: Record<string, Expected> = {
  natural: { code: 0, signal: null },
  exit: { code: 3, signal: null },
  throw: { code: 1, signal: null },
  reject: { code: 1, signal: null },
  sigterm: { code: null, signal: 'SIGTERM' },
  sigint: { code: null, signal: 'SIGINT' },
};

for (const [mode, expected] of Object.entries(MODES)) {
  test(`the final report is whole when the host ends by ${mode}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinwatch-exit-'));
    try {
      const reportFile = join(dir, 'report.jsonl');
      const args = ['--expose-gc', '--require', REGISTER, join(FIXTURES, 'exit-modes-app.js')];
      const result = await runNode(args, {
        PINWATCH: '1',
        PINWATCH_ENTRY: ENTRY,
        PINWATCH_REPORT_FILE: reportFile,
        PINWATCH_GC_SETTLE_MS: '20',
        PINWATCH_CLOSE_GRACE_MS: '0',
        PINWATCH_LOG: 'warn',
        EXIT_MODE: mode,
      });
      assert.equal(result.timedOut, false);
      assert.deepEqual({ code: result.code, signal: result.signal }, expected, result.stderr);
      const text = readFileSync(reportFile, 'utf8');
      assert.ok(text.endsWith('\n'), 'the last line is complete');
      const lines = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; kind?: string; held?: number });
      const leak = lines.find((line) => line.type === 'finding' && line.kind === 'leak');
      assert.equal(leak?.held, 9);
      assert.equal(lines.at(-1)?.type, 'final');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
