import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { SiteResolver } from '../src/worker/site';
import { ROOT, runNode } from './support/child';

const COMPILED_FEED = resolve(ROOT, 'dist', 'test', 'fixtures', 'report-ts-feed.js');
const FEED_SITE = 'test/fixtures/report-ts-feed.ts:26:21';

/** The raw frame of the `track()` call in the compiled fixture, as the host captures it. */
function compiledTrackFrame(): string {
  const lines = readFileSync(COMPILED_FEED, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes("label: 'import'"));
  assert.ok(index >= 0, 'the compiled fixture has the import feed');
  const column = lines[index].indexOf('(blocks(') + 1;
  return `keepImported\t${COMPILED_FEED}\t${index + 1}\t${column}`;
}

test('a TypeScript app built with source maps sees its own .ts line as the site', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-sites-'));
  try {
    const reportFile = join(dir, 'run.jsonl');
    const result = await runNode(['--expose-gc', COMPILED_FEED], {
      PINWATCH_REPORT_FILE: reportFile,
    });
    assert.equal(result.timedOut, false, 'the child exits by itself');
    assert.equal(result.code, 0, result.stderr);
    const findings = readFileSync(reportFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; site?: string; stack?: string[] })
      .filter((line) => line.type === 'finding');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].site, FEED_SITE);
    assert.match(
      findings[0].stack?.[1] ?? '',
      /^main \(test\/fixtures\/report-ts-feed\.ts:\d+:\d+\)$/,
    );
    assert.match(result.stderr, new RegExp(`created at ${FEED_SITE.replace(/\./g, '\\.')}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a position behind a large map is mapped in the pool before a report needs it', async () => {
  const sites = new SiteResolver(['node_modules'], ROOT, { heavyMapBytes: 0 });
  try {
    const stack = compiledTrackFrame();
    const before = sites.site(sites.frames(stack));
    assert.match(before, /^dist\/test\/fixtures\/report-ts-feed\.js:/, 'unmapped until prepared');
    await sites.prepare([stack]);
    assert.equal(sites.site(sites.frames(stack)), FEED_SITE);
  } finally {
    await sites.close();
  }
});

test('a small map is mapped on the calling thread without waiting', () => {
  const sites = new SiteResolver(['node_modules'], ROOT);
  assert.equal(sites.site(sites.frames(compiledTrackFrame())), FEED_SITE);
});

test('the site skips frames of node internals and of ignored library paths', () => {
  const sites = new SiteResolver(['node_modules/rxjs'], '/app');
  const stack = [
    'emit\tnode:events\t517\t28',
    'subscribe\t/app/node_modules/rxjs/dist/cjs/Observable.js\t40\t3',
    'follow\t/app/src/feeds/finalized.js\t88\t21',
  ].join('\n');
  const frames = sites.frames(stack);
  assert.equal(sites.site(frames), 'src/feeds/finalized.js:88:21');
  assert.equal(frames.length, 3, 'the full stack stays');
});

test('a file outside the working directory keeps its absolute path', () => {
  const sites = new SiteResolver([], '/app');
  assert.equal(sites.site(sites.frames('run\t/srv/other/main.js\t3\t7')), '/srv/other/main.js:3:7');
});
