import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  FIXTURES,
  REGISTER_CJS,
  REGISTER_ESM,
  ROOT,
  lineOf,
  runNode,
} from './fixtures/register-run-child';

const APP = path.join(FIXTURES, 'targets-app.js');
const CONFIG = path.join(FIXTURES, 'targets-config.json');

test('a leak inside a dependency reached through a target is reported at the app line', () => {
  const env = { PINWATCH: '1', PINWATCH_CONFIG: CONFIG };
  const child = runNode(['--expose-gc', '--require', REGISTER_CJS, APP], env);
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /app finished with 3 kept/);
  const site = `${path.relative(ROOT, APP)}:${lineOf(APP, 'site: heads')}:`;
  assert.match(child.stderr, /LEAK stream #\d+ \(finality\)/);
  assert.ok(child.stderr.includes(`created at ${site}`), child.stderr);
});

test('a target whose method is missing is said in one line and the app runs on', () => {
  const env = { PINWATCH: '1', PINWATCH_CONFIG: CONFIG };
  const child = runNode(['--expose-gc', '--require', REGISTER_CJS, APP], env);
  assert.equal(child.status, 0, child.stderr);
  const lines = child.stderr.split('\n').filter((line) => line.includes('Feed.prototype.missing'));
  assert.equal(lines.length, 1, child.stderr);
  assert.match(lines[0], /is not tracked: it has no Feed\.prototype\.missing/);
});

test('a leak inside an ES module dependency reached by a target is named at the app line', () => {
  const app = path.join(FIXTURES, 'targets-app.mjs');
  const env = { PINWATCH: '1', PINWATCH_CONFIG: path.join(FIXTURES, 'targets-config-esm.json') };
  const child = runNode(['--expose-gc', '--import', REGISTER_ESM, app], env);
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /app finished with 3 kept/);
  const site = `${path.relative(ROOT, app)}:${lineOf(app, 'site: heads')}:`;
  assert.match(child.stderr, /LEAK stream #\d+ \(finality\)/);
  assert.ok(child.stderr.includes(`created at ${site}`), child.stderr);
});
