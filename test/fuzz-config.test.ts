import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { VARIABLES, readSettings } from '../src/main/config';
import { validateOptions } from '../src/main/options';
import { readPreloadConfig } from '../src/main/preload-config';
import { parseTarget } from '../src/main/targets/target-spec';
import { DEFAULT_SETTINGS } from '../src/shared/settings';

const SEED = 20261203;
const NAMES = Object.keys(VARIABLES);
const LISTS = ['PINWATCH_PRESETS', 'PINWATCH_FAIL_ON', 'PINWATCH_EVENTS', 'PINWATCH_WORKERS'];

const rawValue = fc.oneof(
  fc.string(),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', ' ', '-1', '1e9', '0x10', 'NaN', 'Infinity', 'true', 'debug', ' 42 ', '\n'),
);

test('any environment gives settings of the right types and one line per bad value', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...NAMES, ...LISTS), rawValue), (env) => {
      const { settings, problems } = readSettings(env);
      for (const [name, spec] of Object.entries(VARIABLES)) {
        const value = settings[spec.key];
        assert.equal(typeof value, typeof DEFAULT_SETTINGS[spec.key], name);
        if (spec.kind === 'integer') {
          assert.ok(Number.isSafeInteger(value) && (value as number) >= spec.min, name);
        }
      }
      for (const problem of problems) {
        assert.ok(NAMES.includes(problem.name));
        assert.ok(problem.accepted.length > 0 && problem.fallback.length > 0);
      }
      const named = new Set(problems.map((problem) => problem.name));
      assert.equal(named.size, problems.length, 'one line per variable');
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('the preload reads any environment without throwing, each problem on one line', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...NAMES, ...LISTS), rawValue), (env) => {
      const { problems } = readPreloadConfig(env);
      for (const line of problems) {
        assert.equal(typeof line, 'string');
        assert.doesNotMatch(line, /\n./, 'a problem is one line');
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('config files of any content are read or refused with a reason, never thrown on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-fuzz-config-'));
  try {
    const file = join(dir, 'pinwatch.json');
    const content = fc.oneof(
      fc.json(),
      fc.string(),
      fc
        .record({
          settings: fc.dictionary(fc.string(), fc.jsonValue()),
          targets: fc.array(fc.jsonValue(), { maxLength: 4 }),
          presets: fc.jsonValue(),
          failOn: fc.jsonValue(),
        })
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(content, (text) => {
        writeFileSync(file, text);
        const { config, problems } = readPreloadConfig({ PINWATCH: '1', PINWATCH_CONFIG: file });
        if (config === null) assert.ok(problems.length > 0, 'an unusable file says why');
        for (const line of problems) assert.doesNotMatch(line, /\n./);
      }),
      { seed: SEED, numRuns: 200 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('targets and track() options of any shape are checked, never thrown on', () => {
  fc.assert(
    fc.property(fc.anything(), (raw) => {
      const target = parseTarget(raw, 'targets[0]', '/tmp');
      if (typeof target === 'string') assert.ok(target.length > 0);
      const problem = validateOptions(raw);
      if (problem !== null) assert.match(problem, /^track\(\) options/);
    }),
    { seed: SEED, numRuns: 500 },
  );
});
