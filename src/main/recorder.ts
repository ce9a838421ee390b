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
/** A partly filled batch waits at most this long before it is sent. */
const FLUSH_DELAY_MS = 20;

/**
 * Writes records into a pool of fixed buffers and hands each full (or aged) buffer to the
 * worker by transfer. The worker sends drained buffers back, so the steady state allocates
 * nothing. When every buffer is out (the worker lags), records are dropped and counted per
 * Op: the host never queues without bound and never waits.
 */
export class Recorder {
  #port: MessagePort;
  readonly #maxBuffers: number;
  readonly #free: ArrayBuffer[] = [];
  #allocated = 0;
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
  readonly #onFlush: () => void;

  /** `onFlush` runs after each batch is handed over (to drop per-batch caches). */
  constructor(port: MessagePort, maxBuffers: number, onFlush: () => void = () => {}) {
    this.#port = port;
    this.#maxBuffers = maxBuffers;
    this.#onFlush = onFlush;
    this.#listen(port);
  }

  /**
   * Moves to a new worker's port. Buffers lent to the old worker are gone with it, and the
   * records not yet sent name strings the new worker never saw: both are dropped, counted.
   */
  attach(port: MessagePort): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const lost = this.#pos / RECORD_INTS;
    this.#dropped[0] += lost;
    this.#droppedTotal += lost;
    this.#droppedSinceFlush += lost;
    this.#view = null;
    this.#buffer = null;
    this.#pos = 0;
    this.#strings = [];
    this.#free.length = 0;
    this.#allocated = 0;
    this.#port = port;
    this.#closed = false;
    this.#listen(port);
  }

  /** Sequence number of the last batch handed to the worker. */
  get sentSeq(): number {
    return this.#seq;
  }

  get droppedTotal(): number {
    return this.#droppedTotal;
  }

  /** Appends one record; returns false when it had to be dropped. */
  record(op: Op, flags: number, a: number, b: number, c: number): boolean {
    let view = this.#view;
    if (view === null) {
      view = this.#acquire();
      if (view === null) {
        this.#dropped[op & OP_MASK]++;
        this.#droppedTotal++;
        this.#droppedSinceFlush++;
        return false;
      }
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

  /** Binds `id` to `text` in the worker; false when the record was dropped. */
  defineString(id: number, text: string): boolean {
    const index = this.#strings.length;
    if (!this.record(Ops.STRING_DEFINED, 0, id, index, 0)) return false;
    this.#strings.push(text);
    return true;
  }

  /** Sends the current batch now, if it holds anything. Never waits. */
  flush(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#closed || (this.#pos === 0 && this.#droppedSinceFlush === 0)) return;
    // With every buffer lent out, the drop counts still travel, in an empty batch.
    const buffer = this.#buffer ?? new ArrayBuffer(0);
    const message: BatchMessage = {
      type: 'batch',
      seq: ++this.#seq,
      buffer,
      length: this.#pos,
      strings: this.#strings,
      dropped: this.#dropped,
    };
    this.#view = null;
    this.#buffer = null;
    this.#pos = 0;
    this.#strings = [];
    this.#dropped = new Array<number>(OP_COUNT).fill(0);
    this.#droppedSinceFlush = 0;
    try {
      this.#port.postMessage(message, buffer.byteLength > 0 ? [buffer] : []);
    } catch {
      // The port is gone with the worker; tracking stops, the host goes on.
      this.#closed = true;
    }
    this.#onFlush();
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

  #listen(port: MessagePort): void {
    port.on('message', (message: WorkerMessage) => {
      if (port !== this.#port) return;
      if (message?.type === 'buffer' && message.buffer instanceof ArrayBuffer) {
        if (message.buffer.byteLength === BATCH_INTS * 4) this.#free.push(message.buffer);
      }
    });
    // Listening refs the port; the host's exit must not wait on it.
    port.unref();
  }

  #acquire(): Int32Array | null {
    if (this.#closed) return null;
    let buffer = this.#free.pop();
    if (buffer === undefined) {
      if (this.#allocated >= this.#maxBuffers) return this.#acquireForDropReport();
      // Allocated lazily: a quiet process never holds more than one buffer.
      buffer = new ArrayBuffer(BATCH_INTS * 4);
      this.#allocated++;
    }
    this.#buffer = buffer;
    this.#view = new Int32Array(buffer);
    this.#pos = 0;
    return this.#view;
  }

  /**
   * With every buffer out, nothing can be recorded; still make sure the drop counts reach
   * the worker once a buffer returns, by arming the timer that flushes.
   */
  #acquireForDropReport(): null {
    if (this.#timer === null) this.#armTimer();
    return null;
  }

  #armTimer(): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => this.#onTimer(), FLUSH_DELAY_MS);
    this.#timer.unref();
  }

  #onTimer(): void {
    this.#timer = null;
    this.flush();
  }
}
