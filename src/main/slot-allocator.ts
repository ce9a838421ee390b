/** Slots beyond this are not handed out; such notifications are counted but not followed. */
const DEFAULT_MAX_SLOTS = 1 << 22;

/**
 * Hands out small integer slots that name one live notification on both sides. A slot is
 * freed when the host reports its release or collection, and reused afterwards; the
 * generation tells a late garbage-collection callback that its slot has moved on.
 */
export class SlotAllocator {
  #free = new Int32Array(1024);
  #freeCount = 0;
  #generation = new Int32Array(1024);
  #next = 1;
  readonly #maxSlots: number;

  constructor(maxSlots = DEFAULT_MAX_SLOTS) {
    this.#maxSlots = maxSlots;
  }

  /** A free slot, or 0 when the table is at its bound. */
  allocate(): number {
    if (this.#freeCount > 0) return this.#free[--this.#freeCount];
    if (this.#next >= this.#maxSlots) return 0;
    const slot = this.#next++;
    if (slot >= this.#generation.length) this.#generation = grow(this.#generation, slot);
    return slot;
  }

  generationOf(slot: number): number {
    return this.#generation[slot];
  }

  /** Returns the slot to the pool; later callbacks holding the old generation are ignored. */
  free(slot: number): void {
    this.#generation[slot]++;
    if (this.#freeCount === this.#free.length) this.#free = grow(this.#free, this.#freeCount);
    this.#free[this.#freeCount++] = slot;
  }

  /** Frees the slot only if it still belongs to the given generation. */
  freeIfCurrent(slot: number, generation: number): boolean {
    if (this.#generation[slot] !== generation) return false;
    this.free(slot);
    return true;
  }
}

function grow(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(array.length * 2, needed + 1));
  bigger.set(array);
  return bigger;
}
