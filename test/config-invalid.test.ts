import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REGISTER_CJS, runNode } from './fixtures/register-run-child';

const HOST = "console.log('host ran')";

function runWith(env: Record<string, string>) {
  const child = runNode(['--require', REGISTER_CJS, '-e', HOST], { PINWATCH: '1', ...env });
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /host ran/);
  return child.stderr.split('\n').filter((line) => line !== '');
}

const BAD_VALUES: Array<[string, string, RegExp]> = [
  ['PINWATCH_INTERVAL_MS', 'soon', /expected an integer from 10 to 86400000; using 60000/],
  ['PINWATCH_SLOW_THRESHOLD', '-4', /expected an integer from 1 to/],
  ['PINWATCH_PIN_LIMIT', '1.5', /expected an integer from 1 to/],
  ['PINWATCH_LOG', 'loud', /expected one of silent, error, warn, info, debug; using info/],
  ['PINWATCH_FAIL_ON', 'leak,oops', /expected finding kinds \(leak, slow, .*\); ignoring it/],
  ['PINWATCH_PRESETS', 'subxt', /expected preset names \(polkadot-api, @polkadot\/api\)/],
  ['PINWATCH_EVENTS', 'finalized:bad label', /expected event names with an optional label/],
  ['PINWATCH_WORKERS', 'sometimes', /expected one of 1, true, on, yes or 0, false, off, no/],
];

for (const [name, value, accepted] of BAD_VALUES) {
  test(`${name}=${value} gets one line naming it, and the host runs`, () => {
    const lines = runWith({ [name]: value });
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.ok(lines[0].includes(`invalid ${name}="`), lines[0]);
    assert.ok(lines[0].includes(value.split(',').pop() as string), lines[0]);
    assert.match(lines[0], accepted);
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'pinwatch-config-'));

function configFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('a config file that is missing keeps tracking off in one line', () => {
  const lines = runWith({ PINWATCH_CONFIG: path.join(dir, 'absent.json') });
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /PINWATCH_CONFIG=".*absent\.json" cannot be used: .*tracking stays off/);
});

test('a config file that is not JSON keeps tracking off in one line', () => {
  const lines = runWith({ PINWATCH_CONFIG: configFile('broken.json', '{ "settings": ') });
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /cannot be used: .*expected a readable JSON file; tracking stays off/);
});

test('bad fields of a config file get one line each and the rest is used', () => {
  const file = configFile(
    'fields.json',
    JSON.stringify({
      settings: { intervalMs: 'often', nosuch: 1 },
      targets: [{ module: 'feed', export: 'a..b' }],
      colour: 'blue',
    }),
  );
  const lines = runWith({ PINWATCH_CONFIG: file });
  assert.equal(lines.length, 4, lines.join('\n'));
  assert.ok(lines.some((line) => /unknown field colour/.test(line)));
  assert.ok(lines.some((line) => /settings\.intervalMs="often": expected an integer/.test(line)));
  assert.ok(lines.some((line) => /unknown setting nosuch/.test(line)));
  assert.ok(lines.some((line) => /targets\[0\]\.export must be an export name/.test(line)));
});
