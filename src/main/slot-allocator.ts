/** Slots beyond this are not handed out; such notifications are counted but not followed. */
const DEFAULT_MAX_SLOTS = 1 << 22;

/**
 * Hands out small integer slots that name one live notification on both sides. A slot is
 * freed when the host reports its release or collection, and reused afterwards; the
 * generation tells a late garbage-collection callback that its slot has moved on.
 *
 * Slots of streams that received one object are linked into a group behind the first
 * (the leader): the object is registered with the GC once, and its collection frees them
 * all, here and in the worker.
 */
export class SlotAllocator {
  #free = new Int32Array(1024);
  #freeCount = 0;
  #generation = new Int32Array(1024);
  /** Next member in the leader's group, 0 at the end. */
  #groupNext = new Int32Array(1024);
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
    if (slot >= this.#generation.length) {
      this.#generation = grow(this.#generation, slot);
      this.#groupNext = grow(this.#groupNext, slot);
    }
    return slot;
  }

  generationOf(slot: number): number {
    return this.#generation[slot];
  }

  /** Puts `member` into the group led by `leader`. */
  link(leader: number, member: number): void {
    this.#groupNext[member] = this.#groupNext[leader];
    this.#groupNext[leader] = member;
  }

  /** Returns the slot to the pool; later callbacks holding the old generation are ignored. */
  free(slot: number): void {
    this.#generation[slot]++;
    this.#groupNext[slot] = 0;
    if (this.#freeCount === this.#free.length) this.#free = grow(this.#free, this.#freeCount);
    this.#free[this.#freeCount++] = slot;
  }

  /** Frees a leader and every member of its group. */
  freeGroup(leader: number): void {
    let member = this.#groupNext[leader];
    this.free(leader);
    while (member !== 0) {
      const next = this.#groupNext[member];
      this.free(member);
      member = next;
    }
  }
}

function grow(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(array.length * 2, needed + 1));
  bigger.set(array);
  return bigger;
}
