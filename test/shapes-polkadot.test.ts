import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Snapshot } from '../src/main/index';
import { runFixture } from './fixtures/shapes-harness';

interface PolkadotResult {
  numbers: number[];
  unsubscribeType: string;
  streams: Snapshot['streams'];
}

test('polkadot subscribeNewHeads is one stream closed by its resolved unsubscribe', () => {
  const run = runFixture('shapes-polkadot-heads', {}, 18_000);
  assert.equal(run.signal, null, `fixture was killed: ${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
  const { numbers, unsubscribeType, streams } = run.result as PolkadotResult;
  assert.equal(unsubscribeType, 'function');
  assert.ok(numbers.length >= 2);
  assert.equal(streams.length, 1);
  const [stream] = streams;
  assert.equal(stream.label, 'import');
  assert.equal(stream.delivered, numbers.length);
  assert.equal(stream.closedBy, 'explicit');
  assert.match(stream.site, /test[\\/]fixtures[\\/]shapes-polkadot-heads\.ts:\d+:\d+$/);
});
