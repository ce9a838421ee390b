import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FIXTURES } from './fixtures/register-run-child';
import type { PresetRun } from './fixtures/presets-report';
import { findingsAt, runWithPreset, siteOf } from './fixtures/presets-report';

const APP = path.join(FIXTURES, 'presets-pjs-app.js');

/** One run of the app, shared by the tests below (decoding the metadata takes seconds). */
let run: PresetRun | undefined;
function appRun(): PresetRun {
  // The client keeps a shared subscription's last head 1.75 s after its last unsubscribe:
  // the agent's default close grace (2 s) is what keeps that from blaming a consumer.
  run ??= runWithPreset(APP, '@polkadot/api', 18_000, { PINWATCH_CLOSE_GRACE_MS: '2000' });
  return run;
}

test('the app follows the fake chain through the real ApiPromise and exits', () => {
  const { child } = appRun();
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /app finished with \d+ kept, last head 30/);
  assert.doesNotMatch(child.stderr, /is not tracked/);
});

const SUBSCRIPTIONS = [
  { name: 'rpc finalized', label: 'finality', call: 'rpc.chain.subscribeFinalizedHeads' },
  { name: 'rpc new', label: 'import', call: 'rpc.chain.subscribeNewHeads' },
  { name: 'rpc all', label: 'import', call: 'rpc.chain.subscribeAllHeads' },
  { name: 'derive finalized', label: 'finality', call: 'derive.chain.subscribeFinalizedHeads' },
  { name: 'derive new', label: 'import', call: 'derive.chain.subscribeNewHeads' },
];

for (const { name, label, call } of SUBSCRIPTIONS) {
  test(`a callback of ${call} that keeps its heads is named as a leak labelled ${label}`, () => {
    const found = findingsAt(appRun().findings, siteOf(APP, `leaky ${name}`));
    assert.ok(found.length > 0, JSON.stringify(appRun().findings, null, 1));
    for (const finding of found) {
      assert.equal(finding.kind, 'leak');
      assert.equal(finding.label, label);
      assert.ok(finding.held > 0);
    }
  });

  test(`a callback of ${call} that keeps no head is never named`, () => {
    const found = findingsAt(appRun().findings, siteOf(APP, `healthy ${name}`));
    assert.deepEqual(found, []);
  });
}
