import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { test } from 'node:test';
import type { BatchMessage } from '../src/shared/protocol';
import { BATCH_RECORDS, Op } from '../src/shared/protocol';
import { Recorder } from '../src/main/recorder';

/** A worker that never answers: nothing lent out ever comes back. */
function stalledWorker() {
  const channel = new MessageChannel();
  const received: BatchMessage[] = [];
  channel.port2.on('message', (message: BatchMessage) => received.push(message));
  return { port: channel.port1, received, close: () => channel.port1.close() };
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

test('small batches travel as copies and the buffer stays for the next records', async () => {
  const worker = stalledWorker();
  const recorder = new Recorder(worker.port, 2);
  for (let i = 0; i < 40; i++) {
    recorder.record(Op.DELIVERED, 0, 1, 0, 0);
    recorder.flush();
  }
  await tick();
  assert.equal(worker.received.length, 40);
  assert.ok(worker.received.every((batch) => batch.buffer.byteLength === 16));
  assert.equal(recorder.droppedTotal, 0);
  worker.close();
});

test('with full buffers all lent out, further records are dropped and counted', async () => {
  const worker = stalledWorker();
  const recorder = new Recorder(worker.port, 2);
  let accepted = 0;
  for (let i = 0; i < BATCH_RECORDS * 3; i++) {
    if (recorder.record(Op.DELIVERED, 0, 1, i, 0)) accepted++;
  }
  assert.equal(accepted, BATCH_RECORDS * 2);
  assert.equal(recorder.droppedTotal, BATCH_RECORDS);
  recorder.flush();
  await tick();
  const last = worker.received.at(-1)!;
  assert.equal(last.buffer.byteLength, 0, 'drop counts travel in an empty batch');
  assert.equal(last.dropped[Op.DELIVERED], BATCH_RECORDS);
  worker.close();
});

test('small copies are bounded too, and a dropped batch makes the strings start over', async () => {
  const worker = stalledWorker();
  let stringsLost = 0;
  const recorder = new Recorder(worker.port, 1, undefined, () => stringsLost++);
  const perBatch = BATCH_RECORDS / 4;
  let batches = 0;
  while (recorder.droppedTotal === 0 && batches < 100) {
    recorder.defineString(1, 'label');
    for (let i = 1; i < perBatch; i++) recorder.record(Op.DELIVERED, 0, 1, 0, 0);
    recorder.flush();
    batches++;
  }
  await tick();
  assert.equal(batches, 5, 'four copies fill one buffer-worth of loans; the fifth is dropped');
  assert.equal(recorder.droppedTotal, perBatch);
  assert.equal(stringsLost, 1);
  worker.close();
});

test('a string defined by the last record of a buffer travels with that buffer', async () => {
  const worker = stalledWorker();
  const recorder = new Recorder(worker.port, 4);
  for (let i = 0; i < BATCH_RECORDS - 1; i++) recorder.record(Op.DELIVERED, 0, 1, 0, 0);
  assert.equal(recorder.defineString(7, '0xlast'), true);
  await tick();
  const full = worker.received[0];
  assert.equal(full.length, BATCH_RECORDS * 4);
  assert.deepEqual(full.strings, ['0xlast']);
  worker.close();
});
