import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FIXTURES } from './fixtures/register-run-child';
import type { PresetRun } from './fixtures/presets-report';
import { findingsAt, runWithPreset, siteOf } from './fixtures/presets-report';

const APP = path.join(FIXTURES, 'presets-papi-app.js');

/** One run of the app, shared by the tests below (the client takes a few seconds to start). */
let run: PresetRun | undefined;
function appRun(): PresetRun {
  run ??= runWithPreset(APP, 'polkadot-api', 15_000);
  return run;
}

test('the app follows the fake chain through the real client and exits', () => {
  const { child } = appRun();
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /app finished with \d+ kept, finalized 7/);
  assert.doesNotMatch(child.stderr, /is not tracked/);
});

const LEAKY = [
  { marker: 'leaky finality', label: 'finality', stream: 'finalizedBlock$' },
  { marker: 'leaky blocks', label: 'import', stream: 'blocks$' },
  { marker: 'leaky best', label: 'import', stream: 'bestBlocks$' },
];

for (const { marker, label, stream } of LEAKY) {
  test(`a consumer keeping ${stream} values is named as a ${label} leak at its line`, () => {
    const found = findingsAt(appRun().findings, siteOf(APP, marker));
    assert.ok(found.length > 0, JSON.stringify(appRun().findings, null, 1));
    for (const finding of found) {
      assert.equal(finding.kind, 'leak');
      assert.equal(finding.label, label);
      assert.ok(finding.held > 0);
    }
  });
}

for (const marker of ['healthy finality', 'healthy blocks', 'healthy best']) {
  test(`the ${marker} consumer, which keeps no value, is never named`, () => {
    const found = findingsAt(appRun().findings, siteOf(APP, marker));
    assert.deepEqual(found, []);
  });
}
