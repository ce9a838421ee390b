/**
 * The wire format between the host thread and the pinning worker. This is the only
 * contract both sides share; neither imports the other's code.
 *
 * Records are fixed-size groups of RECORD_INTS int32 values inside a transferred
 * ArrayBuffer: [opAndFlags, a, b, c]. The low 8 bits of the first int hold the Op,
 * the bits above it hold per-op flags. Strings (labels, stacks, keys) never travel in
 * records: a STRING_DEFINED record binds a small integer id to an entry of the batch's
 * `strings` array, and later records refer to the id.
 */

export const RECORD_INTS = 4;
/** Records per transferred buffer: 4096 records of 16 bytes is a 64 KiB buffer. */
export const BATCH_RECORDS = 4096;
export const OP_MASK = 0xff;
export const FLAG_SHIFT = 8;

/** Facts the host reports, named in the past tense. */
export const enum Op {
  /** a = streamId, b = label string id, c = stack string id; flags: STREAM_* */
  STREAM_OPENED = 1,
  /** a = streamId; flags: CLOSED_BY_GC when the consumer's handle was collected unclosed */
  STREAM_CLOSED = 2,
  /** a = streamId, b = slot (0: untracked), c = key string id (0: none); flags: DELIVERY_* */
  DELIVERED = 3,
  /** a = slot; flags: RELEASE_NOW when the notification is not tracked past consumption */
  CONSUMED = 4,
  /** a = slot, released explicitly by the consumer (release(), dispose, queue discarded) */
  RELEASED = 5,
  /** a = slot, its value was reclaimed by garbage collection */
  COLLECTED = 6,
  /** a = slot, b = slot already holding the same object (delivered to another stream) */
  SHARED = 7,
  /** a = string id, b = index into the batch's strings array */
  STRING_DEFINED = 8,
  /** a = 1 for a major (mark-compact) collection, 0 for a minor one */
  GC_OBSERVED = 9,
}

/** One past the largest Op, to size per-op counters. */
export const OP_COUNT = 10;

/** STREAM_OPENED: the stream's notifications offer an explicit release (dispose). */
export const STREAM_EXPLICIT_RELEASE = 1;
/** STREAM_OPENED: notifications are tracked until released or collected (not only consumed). */
export const STREAM_TRACKS_HOLD = 2;
/** STREAM_OPENED: flags above this shift carry the hold sampling rate (1 = every one). */
export const STREAM_SAMPLE_SHIFT = 4;

/** DELIVERED: the consumer took the notification at delivery (callbacks, listeners). */
export const DELIVERY_CONSUMED = 1;
/** DELIVERED: the notification is released at consumption (hold is not tracked for it). */
export const DELIVERY_RELEASE_NOW = 2;

/** CONSUMED: hold is not tracked for this notification, release it now. */
export const CONSUME_RELEASE_NOW = 1;

/** STREAM_CLOSED: nobody closed it; the consumer's handle was garbage collected. */
export const CLOSED_BY_GC = 1;

/** Host to worker over the record port. */
export interface BatchMessage {
  type: 'batch';
  /** Increases by one per batch; the control plane waits for it to be applied. */
  seq: number;
  buffer: ArrayBuffer;
  /** Number of int32 values used in `buffer` (a multiple of RECORD_INTS). */
  length: number;
  strings: string[];
  /** Records the host could not buffer since the last batch, by Op. */
  dropped: number[];
}

/** Host to worker at process exit: report, then set ack[0] to 1 and notify. */
export interface ExitMessage {
  type: 'exit';
  ack: Int32Array;
  exitCode: number;
}

export type HostMessage = BatchMessage | ExitMessage;

/** Worker to host: a drained buffer goes back into the host's pool. */
export interface BufferReturnMessage {
  type: 'buffer';
  buffer: ArrayBuffer;
}

export type WorkerMessage = BufferReturnMessage;

export function packOp(op: Op, flags: number): number {
  return op | (flags << FLAG_SHIFT);
}
