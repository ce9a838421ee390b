import type { MessagePort } from 'node:worker_threads';
import type { BatchMessage, Op, WorkerMessage } from '../shared/protocol';
import {
  BATCH_RECORDS,
  OP_COUNT,
  OP_MASK,
  RECORD_INTS,
  Op as Ops,
  packOp,
} from '../shared/protocol';

const BATCH_INTS = BATCH_RECORDS * RECORD_INTS;
const BATCH_BYTES = BATCH_INTS * 4;
/** A batch filled up to this many ints is sent as a copy, and its buffer stays here. */
const SMALL_BATCH_INTS = BATCH_INTS / 4;
/** A partly filled batch waits at most this long before it is sent. */
const FLUSH_DELAY_MS = 20;

/**
 * Writes records into a pool of fixed buffers and hands each full buffer to the worker by
 * transfer; the worker sends drained buffers back, so the steady state allocates nothing.
 * A batch sent early (by the timer, a flush or exit) that is mostly empty travels as a
 * small copy instead, so a quiet process does not lend out whole buffers.
 *
 * Both kinds of loan are bounded: at most `maxBuffers` full buffers, and as many bytes of
 * small copies, may be out at once. Past either bound (the worker lags or stalls), records
 * are dropped and counted per Op: the host never queues without bound and never waits.
 */
export class Recorder {
  #port: MessagePort;
  readonly #maxBuffers: number;
  readonly #maxCopyBytes: number;
  readonly #free: ArrayBuffer[] = [];
  #allocated = 0;
  /** Bytes of small copies sent and not yet handed back by the worker. */
  #copyBytesOut = 0;
  #view: Int32Array | null = null;
  #buffer: ArrayBuffer | null = null;
  #pos = 0;
  #strings: string[] = [];
  #dropped: number[] = new Array<number>(OP_COUNT).fill(0);
  #droppedTotal = 0;
  #droppedSinceFlush = 0;
  #seq = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  readonly #beforeFlush: () => void;
  #isFlushing = false;
  readonly #onStringsLost: () => void;

  /**
   * `beforeFlush` runs before each batch goes, to add what was only counted so far;
   * `onStringsLost` when a batch that may define strings had to be dropped whole, so the
   * string table forgets what the worker never learned.
   */
  constructor(
    port: MessagePort,
    maxBuffers: number,
    beforeFlush: () => void = () => {},
    onStringsLost: () => void = () => {},
  ) {
    this.#port = port;
    this.#maxBuffers = maxBuffers;
    this.#maxCopyBytes = maxBuffers * BATCH_BYTES;
    this.#beforeFlush = beforeFlush;
    this.#onStringsLost = onStringsLost;
    this.#listen(port);
  }

  /** Sequence number of the last batch handed to the worker. */
  get sentSeq(): number {
    return this.#seq;
  }

  get droppedTotal(): number {
    return this.#droppedTotal;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Appends one record; returns false when it had to be dropped (and counts it). */
  record(op: Op, flags: number, a: number, b: number, c: number): boolean {
    if (this.tryRecord(op, flags, a, b, c)) return true;
    this.#countDropped(op & OP_MASK, 1);
    return false;
  }

  /** Appends one record if a buffer is free; returns false, counting nothing, if not. */
  tryRecord(op: Op, flags: number, a: number, b: number, c: number): boolean {
    let view = this.#view;
    if (view === null) {
      view = this.#acquire();
      if (view === null) return false;
    }
    const pos = this.#pos;
    view[pos] = packOp(op, flags);
    view[pos + 1] = a;
    view[pos + 2] = b;
    view[pos + 3] = c;
    this.#pos = pos + RECORD_INTS;
    if (pos === 0) this.#armTimer();
    if (this.#pos === BATCH_INTS) this.flush();
    return true;
  }

  /** Counts records lost elsewhere (never written), so the worker hears of them. */
  countLost(op: Op, count: number): void {
    this.#countDropped(op & OP_MASK, count);
  }

  /** Binds `id` to `text` in the worker; false when the record was dropped. */
  defineString(id: number, text: string): boolean {
    // The text goes in first: the record may fill the buffer and send it at once.
    const strings = this.#strings;
    strings.push(text);
    if (this.record(Ops.STRING_DEFINED, 0, id, strings.length - 1, 0)) return true;
    strings.pop();
    return false;
  }

  /** Sends the current batch now, if it holds anything. Never waits. */
  flush(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#closed) return;
    // The records added here may fill the buffer and flush it from inside: not again.
    if (!this.#isFlushing) {
      this.#isFlushing = true;
      try {
        this.#beforeFlush();
      } finally {
        this.#isFlushing = false;
      }
    }
    if (this.#pos === 0 && this.#droppedSinceFlush === 0) return;
    const payload = this.#takePayload();
    const message: BatchMessage = {
      type: 'batch',
      seq: ++this.#seq,
      buffer: payload,
      length: payload.byteLength / 4,
      strings: this.#strings,
      dropped: this.#dropped,
    };
    this.#strings = [];
    this.#dropped = new Array<number>(OP_COUNT).fill(0);
    this.#droppedSinceFlush = 0;
    try {
      this.#port.postMessage(message, payload.byteLength > 0 ? [payload] : []);
    } catch {
      // The port is gone with the worker; tracking stops, the host goes on.
      this.#closed = true;
    }
  }

  /** Makes sure a batch goes out soon even if no record is added (for counts kept aside). */
  schedule(): void {
    this.#armTimer();
  }

  /**
   * Moves to a new worker's port. Buffers lent to the old worker are gone with it, and the
   * records not yet sent name strings the new worker never saw: both are dropped, counted.
   */
  attach(port: MessagePort): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    // Index 0 counts records lost whole, whatever their op.
    this.#countDropped(0, this.#pos / RECORD_INTS);
    this.#view = null;
    this.#buffer = null;
    this.#pos = 0;
    this.#strings = [];
    this.#free.length = 0;
    this.#allocated = 0;
    this.#copyBytesOut = 0;
    this.#port = port;
    this.#closed = false;
    this.#listen(port);
  }

  /** Stops recording for good (the worker is gone). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#view = null;
    this.#buffer = null;
    this.#free.length = 0;
  }

  /**
   * What the next batch carries: a copy of a mostly empty buffer (which stays here for
   * reuse), the full buffer itself, or nothing when only drop counts have to travel.
   */
  #takePayload(): ArrayBuffer {
    const buffer = this.#buffer;
    const length = this.#pos;
    if (buffer === null || length === 0) return new ArrayBuffer(0);
    this.#pos = 0;
    if (length > SMALL_BATCH_INTS) {
      this.#view = null;
      this.#buffer = null;
      return buffer;
    }
    const bytes = length * 4;
    if (this.#copyBytesOut + bytes > this.#maxCopyBytes) {
      this.#dropRecords(this.#view!, length);
      return new ArrayBuffer(0);
    }
    this.#copyBytesOut += bytes;
    return buffer.slice(0, bytes);
  }

  /** A whole batch cannot be sent: count its records by op and forget its strings. */
  #dropRecords(view: Int32Array, length: number): void {
    for (let i = 0; i < length; i += RECORD_INTS) this.#countDropped(view[i] & OP_MASK, 1);
    if (this.#strings.length > 0) this.#onStringsLost();
  }

  #countDropped(op: number, count: number): void {
    if (count <= 0) return;
    this.#dropped[op] += count;
    this.#droppedTotal += count;
    this.#droppedSinceFlush += count;
    // Make sure the counts reach the worker even if nothing else is recorded.
    this.#armTimer();
  }

  #listen(port: MessagePort): void {
    port.on('message', (message: WorkerMessage) => {
      if (port !== this.#port || message?.type !== 'buffer') return;
      const buffer = message.buffer;
      if (!(buffer instanceof ArrayBuffer)) return;
      if (buffer.byteLength === BATCH_BYTES) this.#free.push(buffer);
      else this.#copyBytesOut = Math.max(0, this.#copyBytesOut - buffer.byteLength);
    });
    // Listening refs the port; the host's exit must not wait on it.
    port.unref();
  }

  #acquire(): Int32Array | null {
    if (this.#closed) return null;
    let buffer = this.#free.pop();
    if (buffer === undefined) {
      if (this.#allocated >= this.#maxBuffers) return null;
      // Allocated lazily: a quiet process never holds more than one buffer.
      buffer = new ArrayBuffer(BATCH_BYTES);
      this.#allocated++;
    }
    this.#buffer = buffer;
    this.#view = new Int32Array(buffer);
    this.#pos = 0;
    return this.#view;
  }

  #armTimer(): void {
    if (this.#timer !== null || this.#closed) return;
    this.#timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
    this.#timer.unref();
  }
}
