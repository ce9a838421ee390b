import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VARIABLES } from '../src/main/config';
import { ROOT } from './support/child';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Variable names the README's configuration table lists in its first column. */
function readmeTable(): Set<string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const names = [...readme.matchAll(/^\| `(PINWATCH(?:_[A-Z_]+)?)` \|/gm)].map((m) => m[1]);
  return new Set(names);
}

test('the README table lists every PINWATCH variable the agent reads', () => {
  const listed = readmeTable();
  const read = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bPINWATCH(?:_[A-Z_]+[A-Z])?\b/g)) {
      read.add(match[0]);
    }
  }
  const missing = [...read].filter((name) => !listed.has(name));
  assert.deepEqual(missing, []);
});

test('every variable of the settings table is in the README', () => {
  const listed = readmeTable();
  const missing = Object.keys(VARIABLES).filter((name) => !listed.has(name));
  assert.deepEqual(missing, []);
});
