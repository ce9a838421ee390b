import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeyEntry } from '../src/worker/key-table';
import { KeyTable } from '../src/worker/key-table';

test('the least recently pinned key is the one force-unpinned', () => {
  const evicted: string[] = [];
  const table = new KeyTable(3, (entry: KeyEntry) => evicted.push(entry.key));
  table.pin(1, 'a', 1);
  table.pin(2, 'b', 2);
  table.pin(3, 'c', 3);
  table.pin(1, 'a', 4);
  table.pin(4, 'd', 5);
  assert.deepEqual(evicted, ['b']);
  table.pin(5, 'e', 6);
  assert.deepEqual(evicted, ['b', 'c']);
  assert.deepEqual([...table.entries()].map((entry) => entry.key).sort(), ['a', 'd', 'e']);
});

test('a key whose last pin goes leaves the order, and eviction skips it', () => {
  const evicted: string[] = [];
  const table = new KeyTable(2, (entry: KeyEntry) => evicted.push(entry.key));
  const a = table.pin(1, 'a', 1);
  table.pin(2, 'b', 2);
  table.unpin(a);
  table.pin(3, 'c', 3);
  assert.deepEqual(evicted, []);
  table.pin(4, 'd', 4);
  assert.deepEqual(evicted, ['b']);
  assert.equal(table.evictedTotal, 1);
});

test('unpinning an evicted key changes nothing', () => {
  const table = new KeyTable(1, () => undefined);
  const a = table.pin(1, 'a', 1);
  table.pin(2, 'b', 2);
  table.unpin(a);
  assert.deepEqual(
    [...table.entries()].map((entry) => [entry.key, entry.refs]),
    [['b', 1]],
  );
});
