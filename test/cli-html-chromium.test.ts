import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { FIXTURES, ROOT, runNode } from './support/child';

const CHROMIUM = '/usr/bin/chromium';
const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'index.js');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

test('the report page shows its chart and sites in Chromium, offline, error-free', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is not installed (apt-get install -y chromium); the page is not checked`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-html-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    timeout: 15_000,
  });
  try {
    const page = join(dir, 'report.html');
    const cli = await runNode([
      CLI,
      'report',
      join(FIXTURES, 'report-recorded-run.jsonl'),
      '-o',
      page,
    ]);
    assert.equal(cli.code, 0, cli.stderr);

    const context = await browser.newContext({ offline: true });
    const tab = await context.newPage();
    const problems: string[] = [];
    const requested: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    tab.on('pageerror', (error) => problems.push(error.message));
    tab.on('request', (request) => requested.push(request.url()));
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load', timeout: 10_000 });

    const series = tab.locator('#live-chart polyline.series');
    assert.equal(await series.count(), 2, 'one line per stream');
    assert.equal(await tab.locator('#series-1').isVisible(), true);
    const box = await tab.locator('#live-chart').boundingBox();
    assert.ok(box !== null && box.width > 300 && box.height > 100, 'the chart has a size');
    const sites = await tab.locator('article.finding .site').allTextContents();
    assert.ok(sites.includes('src/feeds/chain-feeds.js:7:29'), sites.join(', '));
    assert.equal(
      await tab.locator('article.finding').count(),
      4,
      'each finding once, latest state',
    );
    assert.match((await tab.locator('article.finding').first().textContent()) ?? '', /^LEAK/);

    // The legend's one script: a click hides that stream's line and a second shows it.
    await tab.locator('#legend li[data-stream="1"]').click();
    assert.equal(await tab.locator('#series-1').isVisible(), false);
    await tab.locator('#legend li[data-stream="1"]').click();
    assert.equal(await tab.locator('#series-1').isVisible(), true);

    assert.deepEqual(problems, [], 'no console errors or warnings');
    assert.deepEqual(
      requested.filter((url) => !url.startsWith('file://')),
      [],
      'nothing but the page itself is requested',
    );
    await context.close();
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
