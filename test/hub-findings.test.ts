import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const fixtureSource = path.join(root, 'test', 'fixtures', 'hub-consumers.ts');

interface Reported {
  kind: string;
  site: string;
  stream: number;
  held: number;
  queued: number;
}

function runFixture(): { findings: Reported[]; pinned: number } {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--enable-source-maps', path.join(__dirname, 'fixtures', 'hub-consumers.js')],
    { cwd: root, encoding: 'utf8', timeout: 15_000, killSignal: 'SIGKILL', env: process.env },
  );
  assert.equal(child.signal, null, `fixture killed: ${child.stderr}`);
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
}

/** `test/fixtures/hub-consumers.ts:<line>` of the line marked `site: <name>`. */
function siteOf(name: string): string {
  const lines = readFileSync(fixtureSource, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.endsWith(`// site: ${name}`));
  assert.notEqual(index, -1, `no line marked site: ${name}`);
  return `test/fixtures/hub-consumers.ts:${index + 1}:`;
}

const result = runFixture();

function kindsAt(name: string): string[] {
  const site = siteOf(name);
  return result.findings.filter((finding) => finding.site.startsWith(site)).map((f) => f.kind);
}

test('a healthy hub consumer produces no finding', () => {
  assert.deepEqual(kindsAt('healthy'), []);
});

test('a stalled hub consumer is reported slow at its creation site', () => {
  assert.ok(['slow', 'growing'].includes(kindsAt('stalled')[0]), String(kindsAt('stalled')));
});

test('a hoarding hub consumer is reported as holding what it took', () => {
  assert.ok(['held', 'growing'].includes(kindsAt('hoarder')[0]), String(kindsAt('hoarder')));
});

test('a stream closed while its consumer keeps notifications is a leak after GC', () => {
  assert.deepEqual(kindsAt('closer'), ['leak']);
});

test('a stream opened per block and never closed is reported at its creation site', () => {
  const kinds = kindsAt('per-block');
  assert.ok(kinds.length > 0 && kinds.every((kind) => kind === 'slow'), String(kinds));
});

test('a healthy consumer sharing block headers with a hoarder is not blamed', () => {
  assert.deepEqual(kindsAt('dropper'), []);
  assert.equal(result.findings.filter((finding) => finding.kind === 'shared').length, 0);
});

test('notifications dropped without release are unpinned once collected', () => {
  // 12 blocks: the hoarder, the stalled stream and the per-block streams still pin them,
  // while the healthy, dropping and closed streams hold nothing but what was kept.
  assert.equal(result.pinned, 12);
});
