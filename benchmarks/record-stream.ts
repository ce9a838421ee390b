import type { BatchMessage } from '../src/shared/protocol';
import {
  BATCH_RECORDS,
  DELIVERY_CONSUMED,
  Op,
  RECORD_INTS,
  STREAM_SAMPLE_SHIFT,
  STREAM_TRACKS_HOLD,
  packOp,
} from '../src/shared/protocol';
import { uniqueHash } from './workload';

/** String ids the host uses before starting over (the StringTable's bound). */
const STRING_IDS = 65_536;

/**
 * Writes record batches the way the host's Recorder lays them out (4096 records per
 * buffer, strings alongside), for feeding the worker's Engine without a host.
 */
export class BatchWriter {
  readonly batches: BatchMessage[] = [];
  #view = new Int32Array(BATCH_RECORDS * RECORD_INTS);
  #pos = 0;
  #strings: string[] = [];
  #seq = 0;

  record(op: Op, flags: number, a: number, b: number, c: number): void {
    const view = this.#view;
    const pos = this.#pos;
    view[pos] = packOp(op, flags);
    view[pos + 1] = a;
    view[pos + 2] = b;
    view[pos + 3] = c;
    this.#pos = pos + RECORD_INTS;
    if (this.#pos === view.length) this.seal();
  }

  defineString(id: number, text: string): void {
    // The text goes in first: the record may be the one that fills and seals the batch.
    this.#strings.push(text);
    this.record(Op.STRING_DEFINED, 0, id, this.#strings.length - 1, 0);
  }

  /** Closes the current batch (if it holds anything) and starts a new one. */
  seal(): void {
    if (this.#pos === 0) return;
    this.batches.push({
      type: 'batch',
      seq: ++this.#seq,
      buffer: this.#view.buffer as ArrayBuffer,
      length: this.#pos,
      strings: this.#strings,
      dropped: [],
    });
    this.#view = new Int32Array(BATCH_RECORDS * RECORD_INTS);
    this.#pos = 0;
    this.#strings = [];
  }

  /** Takes the sealed batches out. */
  take(): BatchMessage[] {
    this.seal();
    return this.batches.splice(0, this.batches.length);
  }
}

/**
 * A stationary load of `liveKeys` pinned keys over `streams` streams: every step releases
 * the oldest notification and delivers a new one in its slot, so the tables stay the size.
 * - `fresh`: each notification has a key never seen before (blocks: each has a new hash):
 *   STRING_DEFINED + DELIVERED + RELEASED per step, a key-table delete and insert.
 * - `reused`: each key is pinned by two notifications (a block delivered to two streams)
 *   and the new one pins the key its slot had, so pins are refcounts on live keys:
 *   DELIVERED + RELEASED per step. Past the host's 65,536 string ids a key's id cannot
 *   stay bound, so above that each delivery defines its key again (+ STRING_DEFINED).
 */
export class PinLoad {
  readonly liveKeys: number;
  readonly liveSlots: number;
  readonly streams: number;
  readonly #fresh: boolean;
  readonly #idsKept: boolean;
  #step = 0;
  #nextId = 0;

  constructor(liveKeys: number, streams: number, fresh: boolean) {
    this.liveKeys = liveKeys;
    this.liveSlots = fresh ? liveKeys : 2 * liveKeys;
    this.streams = streams;
    this.#fresh = fresh;
    this.#idsKept = !fresh && liveKeys < STRING_IDS;
  }

  /** Records opening the streams and filling every slot once. */
  fill(writer: BatchWriter): void {
    const flags = STREAM_TRACKS_HOLD | (1 << STREAM_SAMPLE_SHIFT);
    for (let stream = 1; stream <= this.streams; stream++) {
      writer.record(Op.STREAM_OPENED, flags, stream, 0, 0);
    }
    if (this.#idsKept) {
      for (let key = 1; key <= this.liveKeys; key++) writer.defineString(key, uniqueHash(key));
    }
    for (let slot = 1; slot <= this.liveSlots; slot++) this.#deliver(writer, slot);
  }

  /** `steps` stationary steps; returns the records written. */
  steps(writer: BatchWriter, steps: number): number {
    let records = 0;
    for (let i = 0; i < steps; i++) {
      const slot = (this.#step++ % this.liveSlots) + 1;
      writer.record(Op.RELEASED, 0, slot, 0, 0);
      records += 1 + this.#deliver(writer, slot);
    }
    return records;
  }

  #deliver(writer: BatchWriter, slot: number): number {
    const stream = (slot % this.streams) + 1;
    const key = ((slot - 1) % this.liveKeys) + 1;
    if (this.#idsKept) {
      writer.record(Op.DELIVERED, DELIVERY_CONSUMED, stream, slot, key);
      return 1;
    }
    const id = (this.#nextId++ % (STRING_IDS - 1)) + 1;
    // A fresh key never repeats; a reused one is the same text, arriving as a new string.
    writer.defineString(id, uniqueHash(this.#fresh ? STRING_IDS + this.#nextId : key));
    writer.record(Op.DELIVERED, DELIVERY_CONSUMED, stream, slot, id);
    return 2;
  }
}
