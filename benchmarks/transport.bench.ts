import { EventEmitter } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Row, Section } from './section';
import type { SubjectOptions } from './subject';
import type { Variant } from './harness';
import { Recorder } from '../src/main/recorder';
import { DELIVERY_CONSUMED, Op } from '../src/shared/protocol';
import { compareVariants, roundRatio, runInChunks } from './harness';
import { SabRing } from './sab-ring';
import { runSubject } from './subject';
import { blockAt, consume } from './workload';
import type { BlockNotification } from './workload';

/** Records the Recorder can have in flight: 16 buffers of 4096; the ring gets the same. */
const POOL_RECORDS = 16 * 4096;
const CHUNK = 16_384;

/** The drain side of the shipped transport: apply (a sum) and hand the buffer back. */
const BUFFER_DRAIN_SOURCE = `
const { workerData } = require('node:worker_threads');
const port = workerData.port;
let sum = 0;
port.on('message', (message) => {
  if (message.type !== 'batch') return;
  const view = new Int32Array(message.buffer);
  for (let i = 0; i < message.length; i++) sum = (sum + view[i]) | 0;
  port.postMessage({ type: 'buffer', buffer: message.buffer }, [message.buffer]);
});
`;

/** The shipped Recorder, on a port whose other end is a draining worker. */
class RecorderRig {
  readonly recorder: Recorder;
  readonly #port: MessagePort;
  readonly #worker: Worker;
  #returned = 0;

  constructor() {
    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.#worker = new Worker(BUFFER_DRAIN_SOURCE, {
      eval: true,
      workerData: { port: channel.port2 },
      transferList: [channel.port2],
    });
    this.recorder = new Recorder(channel.port1, 16);
    this.#port.on('message', () => this.#returned++);
  }

  /** Sends what is buffered and resolves once every batch came back drained. */
  async drain(): Promise<void> {
    this.recorder.flush();
    while (this.#returned < this.recorder.sentSeq) await new Promise((r) => setTimeout(r, 1));
  }

  async close(): Promise<void> {
    this.recorder.close();
    this.#port.close();
    await this.#worker.terminate();
  }
}

type RecordFn = (op: Op, flags: number, a: number, b: number, c: number) => boolean;

/** An EventEmitter listener that records one DELIVERED per notification, then the user code. */
function emitterWith(record: RecordFn | null) {
  const emitter = new EventEmitter();
  emitter.on('block', (block: BlockNotification) => {
    record?.(Op.DELIVERED, DELIVERY_CONSUMED, 1, 0, block.number & 0xffff);
    consume(block);
  });
  return (units: number) => {
    for (let i = 0; i < units; i++) emitter.emit('block', blockAt(i));
  };
}

async function measure(options: SubjectOptions): Promise<Section> {
  const rig = new RecorderRig();
  const ring = new SabRing(POOL_RECORDS);
  const plain = emitterWith(null);
  const viaRecorder = emitterWith((op, flags, a, b, c) => rig.recorder.record(op, flags, a, b, c));
  const viaRing = emitterWith((op, flags, a, b, c) => ring.record(op, flags, a, b, c));
  const variants: Variant[] = [
    {
      name: 'EventEmitter listener, no recording (baseline)',
      run: (n) => runInChunks(n, CHUNK, plain, () => {}),
    },
    {
      name: 'Recorder: pooled transferred 64 KiB buffers (shipped)',
      run: (n) => runInChunks(n, CHUNK, viaRecorder, () => rig.drain()),
    },
    {
      name: 'SharedArrayBuffer ring, head published every 64 records',
      run: (n) => runInChunks(n, CHUNK, viaRing, () => ring.drain()),
    },
  ];
  const config = options.quick
    ? { rounds: 2, slicesPerRound: 1, sliceMs: 15 }
    : { rounds: 5, slicesPerRound: 4, sliceMs: 40 };
  const results = await compareVariants(variants, config);
  const rows: Row[] = results.map((result) => ({
    measure: result.name,
    unit: 'ns / notification',
    value: result.nsPerUnit,
    ratio: result.ratio,
    added: result.addedNs,
  }));
  rows.push({
    measure: 'SAB ring cost / Recorder cost (per notification, whole listener)',
    unit: 'x',
    value: roundRatio(results[2], results[1]),
  });
  const drops = rig.recorder.droppedTotal + ring.dropped;
  await rig.close();
  await ring.close();
  return {
    subject: 'transport',
    title: 'Record transport: pooled transferred buffers against a SharedArrayBuffer ring',
    method:
      'One DELIVERED record per notification from an EventEmitter listener (fresh block ' +
      `object each), timed in chunks of ${CHUNK}; between chunks (untimed) the worker drains ` +
      'everything, so neither transport drops. Both workers apply records the same way (a ' +
      `sum). Same capacity: ${POOL_RECORDS} records. Interleaved slices, gc() before each, ` +
      'ratios per round, median [min-max].',
    rows,
    notes: drops > 0 ? [`${drops} records were dropped during timed chunks.`] : [],
  };
}

runSubject(measure);
