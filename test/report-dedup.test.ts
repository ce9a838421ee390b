import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Log } from '../src/shared/log';
import { Reporter } from '../src/worker/reporter';
import { EngineHarness, openStreams } from './support/engine-harness';

/** A held stream (threshold 10) whose holding the test raises step by step. */
function withReporter(run: (h: EngineHarness, reporter: Reporter, lines: () => string[]) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-dedup-'));
  const file = join(dir, 'run.jsonl');
  try {
    const h = new EngineHarness();
    nextSlot = 1;
    const reporter = new Reporter(new Log('worker', 'silent'), file, h.sites);
    const lines = () => readFileSync(file, 'utf8').trim().split('\n');
    openStreams(h, [1]);
    run(h, reporter, lines);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let nextSlot = 1;
function hold(h: EngineHarness, count: number): void {
  h.apply((b) => {
    for (let i = 0; i < count; i++, nextSlot++) b.deliver(1, nextSlot).consume(nextSlot);
  });
  h.settledGc();
}

function findingLines(lines: string[]): Array<{ kind: string; held: number }> {
  return lines
    .map((line) => JSON.parse(line) as { type: string; kind: string; held: number })
    .filter((line) => line.type === 'finding');
}

test('the same finding in consecutive scans is said once', () => {
  withReporter((h, reporter, lines) => {
    hold(h, 12);
    assert.equal(reporter.scanned(h.scan(), h.engine, false).length, 1);
    h.advance(1000);
    assert.equal(reporter.scanned(h.scan(), h.engine, false).length, 0);
    assert.equal(reporter.scanned(h.scan(), h.engine, false).length, 0);
    assert.equal(findingLines(lines()).length, 1);
    assert.equal(lines().length, 4, 'one finding line and three scan lines');
  });
});

test('a finding is said again once it has doubled', () => {
  withReporter((h, reporter, lines) => {
    hold(h, 12);
    reporter.scanned(h.scan(), h.engine, false);
    hold(h, 8);
    assert.equal(reporter.scanned(h.scan(), h.engine, false).length, 0, '20 < 2 x 12');
    hold(h, 4);
    assert.equal(reporter.scanned(h.scan(), h.engine, false).length, 1, '24 = 2 x 12');
    assert.deepEqual(
      findingLines(lines()).map((line) => line.held),
      [12, 24],
    );
  });
});

test('a finding that went away and came back is said again', () => {
  withReporter((h, reporter) => {
    hold(h, 12);
    reporter.scanned(h.scan(), h.engine, false);
    h.apply((b) => {
      for (let slot = 1; slot < nextSlot; slot++) b.release(slot);
    });
    assert.equal(reporter.scanned(h.scan(), h.engine, false).length, 0);
    hold(h, 12);
    assert.equal(reporter.scanned(h.scan(), h.engine, false).length, 1);
  });
});

test('the final report says every current finding even if said before', () => {
  withReporter((h, reporter, lines) => {
    hold(h, 12);
    reporter.scanned(h.scan(), h.engine, false);
    reporter.scanned(h.scan(), h.engine, true);
    const types = lines().map((line) => (JSON.parse(line) as { type: string }).type);
    assert.deepEqual(types, ['finding', 'scan', 'finding', 'final']);
  });
});
