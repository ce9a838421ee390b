import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FIXTURES, REGISTER_CJS, REGISTER_ESM, runNode } from './fixtures/register-run-child';

const PROBE = path.join(FIXTURES, 'register-off-probe.js');
const EMPTY_ESM = path.join(FIXTURES, 'register-empty.mjs');
/** Requests Node's own module loading may leave open for a moment. */
const TRANSIENT = ['CloseReq', 'FSReqCallback'];

function probe(preloadArgs: string[], env: Record<string, string>) {
  const child = runNode([...preloadArgs, PROBE], env);
  assert.equal(child.signal, null, `the child was killed: ${child.stderr}`);
  assert.equal(child.status, 0, child.stderr);
  return { report: JSON.parse(child.stdout.trim()) as Record<string, unknown>, child };
}

/** What a process shows with no preload, and with an empty ES module preload. */
const BASELINES = {
  '--require': probe([], {}).report,
  '--import': probe(['--import', EMPTY_ESM], {}).report,
};

function lasting(resources: unknown): string[] {
  return (resources as string[]).filter((name) => !TRANSIENT.includes(name));
}

for (const [door, args] of [
  ['--require', ['--require', REGISTER_CJS]],
  ['--import', ['--import', REGISTER_ESM]],
] as const) {
  for (const value of ['', '0', 'false', 'off']) {
    test(`${door} with PINWATCH=${JSON.stringify(value)} loads nothing beyond the entry`, () => {
      const env: Record<string, string> = value === '' ? {} : { PINWATCH: value };
      const { report, child } = probe([...args], env);
      assert.deepEqual(report.pinwatchFiles, ['dist/src/main/register.js']);
      assert.equal(child.stderr, '');
      assert.equal(report.state, false);
      assert.equal(report.preload, false);
    });
  }

  test(`${door} with PINWATCH unset starts no thread and adds no listener or patch`, () => {
    const { report } = probe([...args], {});
    const BASELINE = BASELINES[door];
    assert.deepEqual(lasting(report.resources), lasting(BASELINE.resources));
    assert.equal(report.exitListeners, BASELINE.exitListeners);
    assert.equal(report.sigintListeners, BASELINE.sigintListeners);
    assert.equal(report.sigtermListeners, BASELINE.sigtermListeners);
    assert.equal(report.onIsNative, true);
    assert.equal(report.requireIsNodes, true);
  });
}

test('NODE_OPTIONS with PINWATCH unset loads only the entry', () => {
  const { report } = probe([], { NODE_OPTIONS: `--require ${REGISTER_CJS}` });
  assert.deepEqual(report.pinwatchFiles, ['dist/src/main/register.js']);
  assert.deepEqual(lasting(report.resources), lasting(BASELINES['--require'].resources));
});

test('an unknown PINWATCH value is said once and keeps the agent off', () => {
  const { report, child } = probe(['--require', REGISTER_CJS], { PINWATCH: 'maybe' });
  const lines = child.stderr.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /invalid PINWATCH="maybe": expected one of 1, true, on, yes .*using off/);
  assert.equal(report.preload, false);
  assert.deepEqual(lasting(report.resources), lasting(BASELINES['--require'].resources));
});

test('the preload given twice is a no-op the second time', () => {
  const args = ['--require', REGISTER_CJS, '--import', REGISTER_ESM];
  const { report } = probe(args, { PINWATCH: '1' });
  const BASELINE = BASELINES['--import'];
  // One exit listener and one of each signal listener, however many doors were used.
  assert.equal(report.exitListeners, (BASELINE.exitListeners as number) + 1);
  assert.equal(report.sigtermListeners, (BASELINE.sigtermListeners as number) + 1);
  assert.equal(report.preload, true);
});
