import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  FAST_ENV,
  FIXTURES,
  REGISTER_CJS,
  REGISTER_ESM,
  ROOT,
  lineOf,
  runNode,
} from './fixtures/register-run-child';

const EVENTS_ENV = { PINWATCH: '1', PINWATCH_EVENTS: 'finalized:finality', ...FAST_ENV };
const CJS_APP = path.join(FIXTURES, 'register-events-app.js');
const ESM_APP = path.join(FIXTURES, 'register-events-app.mjs');
const TS_SOURCE = path.join(FIXTURES, 'register-ts-app.ts');
const TS_APP = path.join(ROOT, 'dist', 'test', 'fixtures', 'register-ts-app.js');
const SIGNAL_APP = path.join(FIXTURES, 'register-signal-app.js');

function assertLeakAt(stderr: string, site: string): void {
  assert.match(stderr, /LEAK stream #\d+ \(finality\)/);
  assert.ok(stderr.includes(`created at ${site}`), `expected the site ${site} in:\n${stderr}`);
}

const cases = [
  ['a CommonJS app under --require', ['--require', REGISTER_CJS, CJS_APP], {}, CJS_APP],
  ['an ES module app under --import', ['--import', REGISTER_ESM, ESM_APP], {}, ESM_APP],
  [
    'a CommonJS app through NODE_OPTIONS',
    [CJS_APP],
    { NODE_OPTIONS: `--require ${REGISTER_CJS}` },
    CJS_APP,
  ],
  [
    'an ES module app through NODE_OPTIONS',
    [ESM_APP],
    { NODE_OPTIONS: `--import ${REGISTER_ESM}` },
    ESM_APP,
  ],
  [
    'a TypeScript app compiled with source maps',
    ['--require', REGISTER_CJS, TS_APP],
    {},
    TS_SOURCE,
  ],
] as const;

for (const [name, args, extraEnv, source] of cases) {
  test(`${name} gets its leak reported at its own line`, () => {
    const env = { ...EVENTS_ENV, ...extraEnv, PINWATCH_LOG: 'debug' };
    const child = runNode(['--expose-gc', ...args], env);
    assert.equal(child.signal, null, child.stderr);
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /app finished with 3 kept/);
    const line = lineOf(source, 'site: follow');
    assertLeakAt(child.stderr, `${path.relative(ROOT, source)}:${line}:`);
    // One pinning worker: the agent's own thread did not load the preload again.
    assert.equal(child.stderr.match(/pinning worker started/g)?.length, 1, child.stderr);
  });
}

test('PINWATCH_FAIL_ON turns a clean exit into exit code 1 after the findings', () => {
  const env = { ...EVENTS_ENV, PINWATCH_FAIL_ON: 'slow,leak' };
  const child = runNode(['--expose-gc', '--require', REGISTER_CJS, CJS_APP], env);
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 1);
  assert.match(child.stderr, /LEAK stream[\s\S]*PINWATCH_FAIL_ON: findings of kind leak were made/);
});

test('PINWATCH_FAIL_ON leaves the exit code alone when no finding of its kinds was made', () => {
  const env = { ...EVENTS_ENV, PINWATCH_FAIL_ON: 'pin-limit' };
  const child = runNode(['--expose-gc', '--require', REGISTER_CJS, CJS_APP], env);
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 0, child.stderr);
  assert.doesNotMatch(child.stderr, /PINWATCH_FAIL_ON/);
});

test('SIGTERM without a host handler ends the process by the signal, after the report', () => {
  const child = runNode(['--expose-gc', '--require', REGISTER_CJS, SIGNAL_APP], EVENTS_ENV);
  assert.equal(child.signal, 'SIGTERM');
  assertLeakAt(child.stderr, 'test/fixtures/register-signal-app.js:');
});

test('SIGTERM with a host handler runs it and keeps its exit code', () => {
  const env = { ...EVENTS_ENV, HOST_HANDLER: '1', PINWATCH_FAIL_ON: 'leak' };
  const child = runNode(['--expose-gc', '--require', REGISTER_CJS, SIGNAL_APP], env);
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 7);
  assert.match(child.stdout, /host handler ran/);
  assertLeakAt(child.stderr, 'test/fixtures/register-signal-app.js:');
});

test('the agent stays out of host worker threads unless PINWATCH_WORKERS is on', () => {
  const script =
    "const { Worker } = require('node:worker_threads');" +
    "new Worker(\"require('node:events'); console.log('worker', " +
    "globalThis[Symbol.for('pinwatch.state')]?.requested === true)\", { eval: true });";
  const off = runNode(['--require', REGISTER_CJS, '-e', script], { PINWATCH: '1' });
  assert.equal(off.signal, null, off.stderr);
  assert.match(off.stdout, /worker false/);
  const on = runNode(['--require', REGISTER_CJS, '-e', script], {
    PINWATCH: '1',
    PINWATCH_WORKERS: '1',
  });
  assert.equal(on.signal, null, on.stderr);
  assert.match(on.stdout, /worker true/);
});

test('PINWATCH_EVENTS makes each listener of a named event a stream, named at its line', () => {
  const app = path.join(FIXTURES, 'register-events-listener-app.js');
  const env = {
    ...FAST_ENV,
    PINWATCH: '1',
    PINWATCH_EVENTS: 'finalized:finality',
    PINWATCH_HELD_THRESHOLD: '10',
  };
  const child = runNode(['--expose-gc', '--require', REGISTER_CJS, app], env);
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /30 kept and 30 counted/);
  const keeper = `${path.relative(ROOT, app)}:${lineOf(app, 'site: keeper')}:`;
  const counter = `${path.relative(ROOT, app)}:${lineOf(app, 'site: counter')}:`;
  // One object reaches both listeners: GC cannot tell which keeps it, so both are named as
  // candidates of one shared finding, each once, and neither is blamed alone.
  const lines = child.stderr.split('\n');
  const first = lines.findIndex((line) => line.includes('SHARED process'));
  assert.match(lines[first], /30 notifications .* to streams #1, #2 survive/, child.stderr);
  const sharers = lines.slice(first + 1, first + 3).map((line) => line.split(' created at ')[1]);
  assert.deepEqual(
    sharers.map((site) => site?.replace(/\d+$/, '')).sort(),
    [counter, keeper].sort(),
  );
});
