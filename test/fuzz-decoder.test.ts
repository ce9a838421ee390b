import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Log } from '../src/shared/log';
import { Op, RECORD_INTS, packOp } from '../src/shared/protocol';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { MAX_SLOT } from '../src/worker/slot-table';
import { PinningWorker } from '../src/worker/pinning-worker';
import type { BatchMessage } from '../src/shared/protocol';

const SEED = 20261203;
const settings = { ...DEFAULT_SETTINGS, logLevel: 'silent' as const };

/** Small ints hit real ops, slots and ids; the rest is noise. */
const word = fc.oneof(
  fc.integer({ min: 0, max: 12 }),
  fc.integer({ min: -2, max: 64 }),
  fc.integer(),
  fc.constantFrom(packOp(Op.DELIVERED, 1), packOp(Op.STREAM_OPENED, 2), MAX_SLOT, -1),
);

function batchOf(ints: number[], strings: unknown[], length: number): BatchMessage {
  const view = Int32Array.from(ints);
  return {
    type: 'batch',
    seq: 1,
    buffer: view.buffer,
    length,
    strings: strings as string[],
    dropped: [],
  };
}

test('random record buffers never crash the worker and never grow tables past their bounds', () => {
  const worker = new PinningWorker(settings, new Log('worker', 'silent'));
  fc.assert(
    fc.property(
      fc.array(word, { maxLength: 400 }),
      fc.array(fc.oneof(fc.string(), fc.anything()), { maxLength: 8 }),
      fc.integer({ min: -8, max: 1000 }),
      (ints, strings, length) => {
        worker.applyBatch(batchOf(ints, strings, length));
        worker.scanNow(false);
        const slots = worker.engine.slots;
        assert.ok(slots.state.length <= MAX_SLOT * 2);
        assert.ok(slots.live >= 0);
        for (const entry of worker.engine.streams.values()) {
          assert.ok(entry.queued >= 0 && entry.held >= 0, 'counts never go negative');
        }
      },
    ),
    { seed: SEED, numRuns: 400 },
  );
  const { anomalies } = worker.engine;
  assert.ok(anomalies.rejected + anomalies.unknownOps + anomalies.staleSlots > 0);
});

test('truncated buffers apply their whole records and ignore the torn tail', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3 * RECORD_INTS }), (cut) => {
      const worker = new PinningWorker(settings, new Log('worker', 'silent'));
      const whole = [
        packOp(Op.STREAM_OPENED, 0),
        1,
        0,
        0,
        packOp(Op.DELIVERED, 0),
        1,
        1,
        0,
        packOp(Op.DELIVERED, 0),
        1,
        2,
        0,
      ];
      worker.applyBatch(batchOf(whole.slice(0, cut), [], cut));
      const applied = Math.floor(cut / RECORD_INTS);
      assert.equal(worker.engine.recordsApplied, applied);
      assert.equal(worker.engine.streams.get(1)?.queued ?? 0, Math.max(0, applied - 1));
    }),
    { seed: SEED, numRuns: 50 },
  );
});

test('messages that are not batches are counted as rejected', () => {
  const worker = new PinningWorker(settings, new Log('worker', 'silent'));
  const odd = [
    { type: 'batch', seq: 1, buffer: 'nope', length: 4, strings: [], dropped: [] },
    { type: 'batch', seq: 1, buffer: new ArrayBuffer(16), length: 4, strings: 7, dropped: [] },
  ];
  for (const message of odd) worker.applyBatch(message as unknown as BatchMessage);
  assert.equal(worker.engine.anomalies.rejected, 2);
});
