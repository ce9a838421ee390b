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

import type { FindingKind } from './finding';

export const RECORD_INTS = 4;
/** Records per transferred buffer: 4096 records of 16 bytes is a 64 KiB buffer. */
export const BATCH_RECORDS = 4096;
export const OP_MASK = 0xff;
export const FLAG_SHIFT = 8;

/** Facts the host reports, named in the past tense. */
export const enum Op {
  /** a = streamId, b = label string id, c = stack string id; flags: STREAM_* */
  STREAM_OPENED = 1,
  /**
   * a = streamId; b, c = when it closed, in Date.now() milliseconds, as b * TIME_SPLIT + c
   * (0, 0 when unknown); flags: CLOSED_BY_GC when the consumer's handle was collected unclosed
   */
  STREAM_CLOSED = 2,
  /**
   * a = streamId, b = slot, c = key string id (0: none); flags: DELIVERY_*. With slot 0
   * (nothing followed) c is instead how many deliveries the record stands for.
   */
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
  /**
   * a = 1 for a major (mark-compact) collection; b, c = when it ended, in Date.now()
   * milliseconds, as b * TIME_SPLIT + c (0, 0 when unknown); flags = how many milliseconds
   * before its end it began marking (0: atomically, or unknown)
   */
  GC_OBSERVED = 9,
}

/** A millisecond time travels as two int32 halves: high * TIME_SPLIT + low. */
export const TIME_SPLIT = 2 ** 30;

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
  /**
   * Records the host could not buffer since the last batch, by Op; index 0 counts records
   * lost whole when the host moved to a restarted worker.
   */
  dropped: number[];
}

/**
 * Host to worker at process exit: report, write the kinds found into `ack[EXIT_SLOT_KINDS]`,
 * then set `ack[EXIT_SLOT_ACK]` to 1 and notify. The host blocks on the ack slot.
 */
export interface ExitMessage {
  type: 'exit';
  /** EXIT_SLOT_COUNT int32 slots on a SharedArrayBuffer (an older host may send only one). */
  ack: Int32Array;
  exitCode: number;
}

/** Exit slot written by the worker, read by the host: 1 once the final report is written. */
export const EXIT_SLOT_ACK = 0;
/** Exit slot written by the worker, read by the host: a FINDING_KIND_BITS mask of the report. */
export const EXIT_SLOT_KINDS = 1;
export const EXIT_SLOT_COUNT = 2;

/** Bit i of an EXIT_SLOT_KINDS mask stands for FINDING_KIND_BITS[i]. */
export const FINDING_KIND_BITS: readonly FindingKind[] = [
  'leak',
  'slow',
  'held',
  'growing',
  'pin-limit',
  'shared',
];

/** The EXIT_SLOT_KINDS mask of a list of finding kinds. */
export function kindsToMask(kinds: Iterable<FindingKind>): number {
  let mask = 0;
  for (const kind of kinds) {
    const bit = FINDING_KIND_BITS.indexOf(kind);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
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
