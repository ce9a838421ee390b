import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Log } from '../src/shared/log';
import { PinBudget } from '../src/worker/pin-budget';
import { Reporter } from '../src/worker/reporter';
import { EngineHarness, openStreams } from './support/engine-harness';

type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string|null';

/** The JSON line schema, version 1, as the README documents it: required fields by type. */
const COMMON: Record<string, FieldType> = { type: 'string', v: 'number', time: 'string' };
const SCHEMA: Record<string, Record<string, FieldType>> = {
  finding: {
    kind: 'string',
    stream: 'number',
    label: 'string',
    message: 'string',
    delivered: 'number',
    queued: 'number',
    held: 'number',
    live: 'number',
    closed: 'boolean',
    closedBy: 'string|null',
    ageMs: 'number',
    oldestAgeMs: 'number',
    oldestKey: 'string',
    site: 'string',
    stack: 'array',
    collectedUnreleased: 'number',
    sampleEvery: 'number',
    heldError: 'number',
  },
  scan: {
    streams: 'number',
    open: 'number',
    awaitingGc: 'number',
    liveNotifications: 'number',
    pinnedKeys: 'number',
    pinLimit: 'number',
    evicted: 'number',
    dropped: 'number',
    anomalies: 'object',
    labels: 'object',
    counts: 'object',
    top: 'array',
  },
  eviction: { key: 'string', refs: 'number', holders: 'array' },
  budget: {
    pinnedKeys: 'number',
    budget: 'number',
    warnPercent: 'number',
    growthPerMinute: 'number',
    holders: 'array',
  },
};
SCHEMA.final = SCHEMA.scan;
const TOP_ROW: Record<string, FieldType> = {
  stream: 'number',
  label: 'string',
  site: 'string',
  live: 'number',
  queued: 'number',
  held: 'number',
  closed: 'boolean',
};

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return value === null ? 'null' : typeof value;
}

function assertShape(
  record: Record<string, unknown>,
  shape: Record<string, FieldType>,
  at: string,
) {
  for (const [field, expected] of Object.entries(shape)) {
    const actual = typeOf(record[field]);
    assert.ok(
      expected.split('|').includes(actual),
      `${at}: ${field} is ${actual}, not ${expected}`,
    );
  }
}

function recordRun(file: string): void {
  const h = new EngineHarness({ pinLimit: 3, heldThreshold: 2 });
  const reporter = new Reporter(new Log('worker', 'silent'), file, h.sites);
  openStreams(h, [1]);
  h.apply((b) => {
    for (let i = 1; i <= 4; i++)
      b.defineString(10 + i, `0x0${i}`)
        .deliver(1, i, 10 + i)
        .consume(i);
  });
  reporter.evicted(h.engine.evictions, h.engine);
  h.settledGc();
  const result = h.scan();
  reporter.scanned(result, h.engine, false);
  const siteOf = () => 'src/app.ts:1:1';
  const warning = new PinBudget().observe(result, 4, 50, siteOf);
  assert.ok(warning, 'three of four keys is over half the budget');
  reporter.budget(warning);
  reporter.scanned(h.scan(), h.engine, true);
}

test('every JSON line carries its type, schema version 1 and the fields the README lists', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-schema-'));
  try {
    const file = join(dir, 'run.jsonl');
    recordRun(file);
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const types = new Set(records.map((record) => record.type));
    assert.deepEqual([...types].sort(), ['budget', 'eviction', 'final', 'finding', 'scan']);
    records.forEach((record, index) => {
      const at = `line ${index + 1} (${String(record.type)})`;
      assertShape(record, COMMON, at);
      assert.equal(record.v, 1, at);
      assert.ok(!Number.isNaN(Date.parse(record.time as string)), `${at}: time is ISO 8601`);
      assertShape(record, SCHEMA[record.type as string], at);
      for (const row of (record.top as Array<Record<string, unknown>> | undefined) ?? []) {
        assertShape(row, TOP_ROW, `${at} top`);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a line cut short by an earlier crash is closed before new lines are appended', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-schema-'));
  try {
    const file = join(dir, 'run.jsonl');
    writeFileSync(file, '{"type":"scan","v":1,"time":"2026-01-01T00:00:00.000Z"}\n{"type":"sc');
    recordRun(file);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines[1], '{"type":"sc', 'the cut line spoils only itself');
    for (const line of [lines[0], ...lines.slice(2)]) assert.doesNotThrow(() => JSON.parse(line));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
