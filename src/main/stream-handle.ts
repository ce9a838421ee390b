import type { KeyFunction } from './keys';
import type { Tracker } from './tracker';
import { readKey } from './keys';
import {
  CLOSED_BY_GC,
  CONSUME_RELEASE_NOW,
  DELIVERY_CONSUMED,
  DELIVERY_RELEASE_NOW,
  Op,
  TIME_SPLIT,
} from '../shared/protocol';

/**
 * How the end of a notification's life is learned:
 * - `gc`: the agent registers taken values with a FinalizationRegistry;
 * - `external`: the owner of the values calls release() or collected() (the hub does);
 * - `none`: a notification counts as released once the consumer took it.
 */
export type HoldTracking = 'gc' | 'external' | 'none';

/**
 * One notification stream as the shapes see it: they report each notification's delivery,
 * consumption and release through it, and it turns those into records. Every method is a
 * no-op once tracking has stopped, all but deliverConsumed once the stream is closed, and
 * none of them throws.
 */
export class StreamHandle {
  readonly id: number;
  readonly #tracker: Tracker;
  readonly #keyOf: KeyFunction;
  readonly #hold: HoldTracking;
  readonly #sampleEvery: number;
  #countdown: number;
  #closed = false;
  /** Deliveries taken at once with nothing to follow, not recorded yet. */
  #uncounted = 0;

  constructor(
    tracker: Tracker,
    id: number,
    keyOf: KeyFunction,
    hold: HoldTracking,
    sampleEvery: number,
  ) {
    this.#tracker = tracker;
    this.id = id;
    this.#keyOf = keyOf;
    this.#hold = hold;
    this.#sampleEvery = Math.max(1, sampleEvery);
    this.#countdown = 1;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A notification entered the stream's queue. Returns its slot (0: not followed). */
  deliver(value: unknown): number {
    const tracker = this.#tracker;
    if (this.#closed || !tracker.active) return 0;
    const slot = tracker.slots.allocate();
    if (slot === 0) {
      // Every slot is taken: the worker counts it, and its queue is not followed.
      tracker.recorder.record(Op.DELIVERED, DELIVERY_RELEASE_NOW, this.id, 0, 1);
      return 0;
    }
    if (!tracker.recorder.record(Op.DELIVERED, 0, this.id, slot, this.#keyId(value))) {
      tracker.slots.free(slot);
      return 0;
    }
    return slot;
  }

  /** The consumer took the notification delivered under `slot`. */
  consume(slot: number, value: unknown): void {
    const tracker = this.#tracker;
    if (slot === 0 || !tracker.active) return;
    if (this.#followsHold(value)) {
      tracker.recorder.record(Op.CONSUMED, 0, slot, 0, 0);
      if (this.#hold === 'gc') tracker.gc.follow(value as object, slot);
      return;
    }
    tracker.recorder.record(Op.CONSUMED, CONSUME_RELEASE_NOW, slot, 0, 0);
    tracker.slots.free(slot);
  }

  /**
   * A notification handed straight to the consumer (listener, observer, callback).
   * Returns its slot when its hold is followed, else 0.
   *
   * Unlike the other methods it still records after the close: a source may call the
   * consumer once more after the unsubscribe (a result it queued before, an emit already
   * under way). The consumer has that value all the same, and when the source hands the
   * same object to a later stream (a replayed last value), that stream must see it shared
   * with this one, not take the blame for it alone.
   */
  deliverConsumed(value: unknown): number {
    const tracker = this.#tracker;
    if (!tracker.active) return 0;
    if (!this.#followsHold(value)) {
      // Nothing to follow: a count is all the worker needs, and one record carries many.
      if (this.#uncounted++ === 0) tracker.countPending(this);
      return 0;
    }
    const slot = tracker.slots.allocate();
    if (slot === 0) {
      // Every slot is taken: count it like a notification with nothing to follow.
      if (this.#uncounted++ === 0) tracker.countPending(this);
      return 0;
    }
    if (
      !tracker.recorder.record(Op.DELIVERED, DELIVERY_CONSUMED, this.id, slot, this.#keyId(value))
    ) {
      // The worker will never hear of this slot: do not follow it into a later release.
      tracker.slots.free(slot);
      return 0;
    }
    if (this.#hold === 'gc') tracker.gc.follow(value as object, slot);
    return slot;
  }

  /** The consumer (or the stream dropping its queue) released the notification explicitly. */
  release(slot: number): void {
    this.#end(Op.RELEASED, slot);
  }

  /** The owner's own registry saw the notification collected without a release. */
  collected(slot: number): void {
    this.#end(Op.COLLECTED, slot);
  }

  /**
   * Records the deliveries counted since the last batch as one record. Returns false when
   * no buffer was free; the count then waits for the next batch.
   */
  sendCount(): boolean {
    const count = this.#uncounted;
    if (count === 0 || !this.#tracker.active) return true;
    const flags = DELIVERY_CONSUMED | DELIVERY_RELEASE_NOW;
    if (!this.#tracker.recorder.tryRecord(Op.DELIVERED, flags, this.id, 0, count)) return false;
    this.#uncounted = 0;
    return true;
  }

  /** Ends the stream; `byGc` when its consumer-side handle was collected unclosed. */
  close(byGc = false): void {
    if (this.#closed) return;
    this.#closed = true;
    const tracker = this.#tracker;
    if (tracker.active) {
      // Its counted deliveries go before the close, so the worker sees them in order.
      this.sendCount();
      // The worker compares the close with when GCs began marking: it needs the real time,
      // not when the record reaches it (up to a flush later).
      const at = Date.now();
      const flags = byGc ? CLOSED_BY_GC : 0;
      tracker.recorder.record(
        Op.STREAM_CLOSED,
        flags,
        this.id,
        Math.floor(at / TIME_SPLIT),
        at % TIME_SPLIT,
      );
    }
  }

  #end(op: Op, slot: number): void {
    const tracker = this.#tracker;
    if (slot === 0 || !tracker.active) return;
    tracker.recorder.record(op, 0, slot, 0, 0);
    tracker.slots.free(slot);
  }

  #followsHold(value: unknown): boolean {
    if (this.#hold === 'none') return false;
    if (this.#hold === 'gc') {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
        return false;
      if (--this.#countdown > 0) return false;
      this.#countdown = this.#sampleEvery;
    }
    return true;
  }

  #keyId(value: unknown): number {
    const key = readKey(this.#keyOf, value);
    return key === '' ? 0 : this.#tracker.strings.idOf(key);
  }
}
