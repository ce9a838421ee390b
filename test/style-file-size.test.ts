import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/child';

/** One idea per file: past this many lines a file is split. */
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') || path.endsWith('.mts') ? [path] : [];
  });
}

test('no source file of the agent is longer than the cap', () => {
  const long = sourceFiles(join(ROOT, 'src'))
    .map((file) => [relative(ROOT, file), readFileSync(file, 'utf8').split('\n').length] as const)
    .filter(([, lines]) => lines > MAX_LINES);
  assert.deepEqual(long, []);
});

test('the main thread and the worker share only src/shared', () => {
  const crossing = sourceFiles(join(ROOT, 'src')).filter((file) => {
    const text = readFileSync(file, 'utf8');
    if (file.includes(`${join('src', 'main')}`)) return /from '(\.\.\/)+worker\//.test(text);
    if (file.includes(`${join('src', 'worker')}`)) return /from '(\.\.\/)+main\//.test(text);
    return false;
  });
  assert.deepEqual(
    crossing.map((file) => relative(ROOT, file)),
    [],
  );
});
