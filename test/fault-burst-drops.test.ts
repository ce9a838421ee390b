import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENTRY, FIXTURES, runNode } from './support/child';

/**
 * What the host may lend the worker: 16 buffers of 64 KiB and as many bytes of small
 * copies, plus slack for Node's own buffers.
 */
const HOST_BUFFER_BOUND = 2 * 16 * 64 * 1024 + 64 * 1024;

test('a burst past the host buffers is dropped and counted, never queued', async () => {
  const result = await runNode([join(FIXTURES, 'fault-burst-drops.js')], {
    PINWATCH_ENTRY: ENTRY,
  });
  assert.equal(result.timedOut, false);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as Record<string, number>;
  assert.equal(report.seen, 300_000, 'every value reached the consumer');
  assert.ok(report.dropped > 0, 'the burst overflowed the buffers');
  assert.equal(report.delivered + report.droppedDelivered, 300_000, 'each record is either way');
  assert.ok(report.bufferGrowthBytes <= HOST_BUFFER_BOUND, `grew ${report.bufferGrowthBytes}`);
  assert.match(result.stderr, /dropped=[1-9]/, 'the summary line says records were lost');
});
