import type { Recorder } from './recorder';
import type { SlotAllocator } from './slot-allocator';
import { Op } from '../shared/protocol';

/** Low bits of a registry token that carry the slot's generation. */
const GENERATION_BITS = 9;
const GENERATION_MASK = (1 << GENERATION_BITS) - 1;
/** Collections waiting for a free buffer, at most (4 bytes each). */
const MAX_BACKLOG = 1 << 20;
/** How soon a waiting collection tries for a buffer again. */
const BACKLOG_RETRY_MS = 5;

/**
 * Follows taken notifications to their garbage collection.
 *
 * The registry keeps a small integer per object (slot and generation packed into a Smi),
 * so a registration allocates nothing of ours. One object delivered to several streams is
 * registered once: the later deliveries are linked to the first by a SHARED record, and
 * its collection frees the whole group. Without that, a healthy subscriber that received
 * a value a hoarder keeps would be blamed for it.
 *
 * A collection is never simply dropped: a lost release would make a healthy consumer look
 * like a hoarder. When no buffer is free (a major GC can end a million registrations in
 * one task), collections wait in a bounded backlog and go out as buffers come back.
 */
export class GcTracker {
  readonly #recorder: Recorder;
  readonly #slots: SlotAllocator;
  readonly #registry = new FinalizationRegistry<number>((token) => this.#onCollected(token));
  /**
   * Every followed value's leader slot, for as long as the value lives. Only weak
   * references: a value the agent kept, even for a moment, would survive a GC that the
   * worker counts as proof, and its stream would be blamed for the agent's hold.
   */
  readonly #leaders = new WeakMap<object, number>();
  #backlog = new Int32Array(0);
  #backlogLength = 0;
  #backlogTimer: NodeJS.Timeout | null = null;

  constructor(recorder: Recorder, slots: SlotAllocator) {
    this.#recorder = recorder;
    this.#slots = slots;
  }

  /** Starts following `value`, now held under `slot`. */
  follow(value: object, slot: number): void {
    // One value reaches a Subject's or an emitter's subscribers one after another, and a
    // replayed one (shareReplay, BehaviorSubject, a client's cached head) a later
    // subscriber long after the first.
    const leader = this.#leaders.get(value) ?? 0;
    if (leader !== 0) {
      this.#recorder.record(Op.SHARED, 0, slot, leader, 0);
      this.#slots.link(leader, slot);
      return;
    }
    const token = (slot << GENERATION_BITS) | (this.#slots.generationOf(slot) & GENERATION_MASK);
    this.#registry.register(value, token);
    this.#leaders.set(value, slot);
  }

  #onCollected(token: number): void {
    const slot = token >>> GENERATION_BITS;
    if ((this.#slots.generationOf(slot) & GENERATION_MASK) !== (token & GENERATION_MASK)) return;
    // The worker frees the leader's whole group on this one record. The slots stay taken
    // here until the record is on its way, so no new notification can overtake it.
    if (this.#backlogLength === 0 && this.#recorder.tryRecord(Op.COLLECTED, 0, slot, 0, 0)) {
      this.#slots.freeGroup(slot);
    } else {
      this.#defer(slot);
    }
  }

  #defer(slot: number): void {
    if (this.#backlogLength === MAX_BACKLOG) {
      // The backlog is full as well: the release is lost, and counted as a dropped record.
      this.#recorder.countLost(Op.COLLECTED, 1);
      return;
    }
    if (this.#backlogLength === this.#backlog.length) {
      const size = Math.min(MAX_BACKLOG, Math.max(1024, this.#backlogLength * 2));
      const bigger = new Int32Array(size);
      bigger.set(this.#backlog);
      this.#backlog = bigger;
    }
    this.#backlog[this.#backlogLength++] = slot;
    this.#scheduleDrain();
  }

  /** Sends waiting collections while buffers last, then tries again shortly. */
  #drainBacklog(): void {
    this.#backlogTimer = null;
    if (this.#recorder.closed) {
      // Tracking has stopped; nothing will read these any more.
      this.#backlogLength = 0;
      return;
    }
    let sent = 0;
    while (sent < this.#backlogLength) {
      const slot = this.#backlog[sent];
      if (!this.#recorder.tryRecord(Op.COLLECTED, 0, slot, 0, 0)) break;
      this.#slots.freeGroup(slot);
      sent++;
    }
    this.#backlog.copyWithin(0, sent, this.#backlogLength);
    this.#backlogLength -= sent;
    this.#recorder.flush();
    if (this.#backlogLength > 0) this.#scheduleDrain();
  }

  #scheduleDrain(): void {
    if (this.#backlogTimer !== null) return;
    this.#backlogTimer = setTimeout(() => this.#drainBacklog(), BACKLOG_RETRY_MS);
    this.#backlogTimer.unref();
  }
}
