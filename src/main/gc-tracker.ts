import type { Recorder } from './recorder';
import type { SlotAllocator } from './slot-allocator';
import { Op } from '../shared/protocol';

/** What the registry keeps for one tracked object: every (slot, generation) it was given. */
interface Holder {
  slot: number;
  generation: number;
  /** Further slots of other streams that received the same object, as slot, generation pairs. */
  more: number[] | null;
}

/**
 * Follows tracked notifications to their garbage collection. One object delivered to many
 * streams is registered once (a registration costs far more than a record); the later
 * deliveries are linked to the first by a SHARED record, so the worker knows that GC can
 * only speak for the group.
 */
export class GcTracker {
  readonly #recorder: Recorder;
  readonly #slots: SlotAllocator;
  readonly #holders = new WeakMap<object, Holder>();
  readonly #registry = new FinalizationRegistry<Holder>((holder) => this.#onCollected(holder));
  #lastValue: object | null = null;
  #lastHolder: Holder | null = null;

  constructor(recorder: Recorder, slots: SlotAllocator) {
    this.#recorder = recorder;
    this.#slots = slots;
  }

  /** Starts following `value`, now held under `slot`. */
  follow(value: object, slot: number): void {
    const generation = this.#slots.generationOf(slot);
    const holder = value === this.#lastValue ? this.#lastHolder : this.#holders.get(value);
    if (holder) {
      this.#recorder.record(Op.SHARED, 0, slot, holder.slot, 0);
      (holder.more ??= []).push(slot, generation);
    } else {
      const created: Holder = { slot, generation, more: null };
      this.#holders.set(value, created);
      this.#registry.register(value, created);
      this.#lastHolder = created;
    }
    this.#lastValue = value;
    if (holder) this.#lastHolder = holder;
  }

  /** Forgets the last-value cache so it does not keep a value alive. */
  clearCache(): void {
    this.#lastValue = null;
    this.#lastHolder = null;
  }

  #onCollected(holder: Holder): void {
    this.#collect(holder.slot, holder.generation);
    const more = holder.more;
    if (more === null) return;
    for (let i = 0; i < more.length; i += 2) this.#collect(more[i], more[i + 1]);
  }

  #collect(slot: number, generation: number): void {
    if (this.#slots.generationOf(slot) !== generation) return;
    this.#recorder.record(Op.COLLECTED, 0, slot, 0, 0);
    this.#slots.free(slot);
  }
}
