import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Log } from '../src/shared/log';
import { MetricsServer } from '../src/worker/metrics-server';
import { PinwatchMetrics } from '../src/worker/metrics';
import { EngineHarness, openStreams } from './support/engine-harness';
import { ENTRY, FIXTURES, ROOT } from './support/child';

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Value of the series whose line starts with `prefix`, or undefined. */
function valueOf(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('the metrics endpoint of a tracked process is scraped over HTTP', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--expose-gc', join(FIXTURES, 'report-metrics-app.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: undefined,
      PINWATCH_ENTRY: ENTRY,
      PINWATCH_METRICS_PORT: String(port),
      PINWATCH_TEST_LINGER_MS: '3000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15_000,
    killSignal: 'SIGKILL',
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      child.on('close', () => reject(new Error('the fixture ended before it was ready')));
    });
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await response.text();
    const site = 'test/fixtures/report-metrics-app.js:27:16';
    // metricsTopStreams is 2: the import feed (7) and the first finality feed (5) get their
    // own series, the second finality feed (3) is summed under its site.
    assert.equal(valueOf(text, `pinwatch_stream_live_notifications{stream="3",label="import"`), 7);
    assert.equal(valueOf(text, `pinwatch_stream_live_notifications{stream="1",`), 5);
    assert.equal(valueOf(text, `pinwatch_stream_live_notifications{stream="2",`), undefined);
    assert.equal(
      valueOf(text, `pinwatch_site_live_notifications{label="finality",site="${site}"}`),
      3,
    );
    assert.equal(valueOf(text, 'pinwatch_label_live_notifications{label="finality"}'), 8);
    assert.equal(valueOf(text, 'pinwatch_pinned_keys'), 15);
    assert.equal(valueOf(text, 'pinwatch_streams{state="open"}'), 3);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    // The open endpoint must not hold the process: it ends when its own timer does.
    const code = await exited;
    assert.equal(code, 0, 'the fixture exits by itself with the endpoint open');
  }
});

test('past the top streams, series are summed per site and sites past 50 under other', async () => {
  const h = new EngineHarness();
  const metrics = new PinwatchMetrics();
  h.apply((b) => {
    b.defineString(1, 'finality');
    for (let site = 0; site < 60; site++) {
      b.defineString(2 + site, `follow\t/app/src/feed-${site}.js\t1\t1`);
      b.open(site + 1, 1, 2 + site);
      b.deliver(site + 1, site + 1);
    }
  });
  openStreams(h, []);
  metrics.refresh({
    result: h.scan(),
    engine: h.engine,
    pinBudget: 1024,
    topStreams: 5,
    siteOf: (view) => h.sites.site(h.sites.frames(view.entry.stack)),
  });
  const text = await metrics.registry.metrics();
  const streamSeries = text.split('\n').filter((l) => l.startsWith('pinwatch_stream_backlog{'));
  const siteSeries = text.split('\n').filter((l) => l.startsWith('pinwatch_site_backlog{'));
  assert.equal(streamSeries.length, 5);
  assert.equal(siteSeries.length, 51, '50 sites and other');
  assert.equal(valueOf(text, 'pinwatch_site_backlog{label="finality",site="other"}'), 5);
  assert.equal(valueOf(text, 'pinwatch_label_backlog{label="finality"}'), 60);
});

test('the endpoint binds to the loopback address and answers only its two paths', async () => {
  const server = new MetricsServer(new Log('worker', 'silent'), async () => ({
    contentType: 'text/plain; version=0.0.4',
    body: 'pinwatch_pinned_keys 0\n',
  }));
  const port = await server.listen(0, '127.0.0.1');
  try {
    assert.ok(port > 0);
    const response = await fetch(`http://127.0.0.1:${port}/metrics?x=1`);
    assert.equal(await response.text(), 'pinwatch_pinned_keys 0\n');
    assert.equal((await fetch(`http://127.0.0.1:${port}/metrics/more`)).status, 404);
  } finally {
    server.close();
  }
});

test('a port in use turns metrics off with one error line instead of throwing', async () => {
  const first = new MetricsServer(new Log('worker', 'silent'), async () => ({
    contentType: '',
    body: '',
  }));
  const port = await first.listen(0, '127.0.0.1');
  const second = new MetricsServer(new Log('worker', 'silent'), async () => ({
    contentType: '',
    body: '',
  }));
  try {
    assert.equal(await second.listen(port, '127.0.0.1'), 0);
  } finally {
    first.close();
    second.close();
  }
});

test('every metric the Grafana dashboard queries is one pinwatch serves', async () => {
  const dashboard = readFileSync(join(ROOT, 'dashboards', 'grafana-pinwatch.json'), 'utf8');
  const queried = new Set(dashboard.match(/pinwatch_[a-z_]+/g) ?? []);
  const served = new Set(
    (await new PinwatchMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name),
  );
  assert.ok(queried.size >= 8);
  for (const name of queried) assert.ok(served.has(name), `${name} is not served`);
});
