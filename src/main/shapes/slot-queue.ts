const INITIAL_CAPACITY = 16;

/**
 * The slots of a stream's queued notifications, oldest first, in a ring that doubles when
 * full. Its size follows the source's own buffer, so it is as bounded as that buffer is.
 */
export class SlotQueue {
  #ring = new Int32Array(INITIAL_CAPACITY);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds at the back (a value entered the buffer). */
  push(slot: number): void {
    this.#growIfFull();
    this.#ring[(this.#head + this.#size) & (this.#ring.length - 1)] = slot;
    this.#size++;
  }

  /** Adds at the front (a value was put back, as `unshift` does). */
  unshift(slot: number): void {
    this.#growIfFull();
    this.#head = (this.#head - 1) & (this.#ring.length - 1);
    this.#ring[this.#head] = slot;
    this.#size++;
  }

  /** Takes the oldest slot; 0 when empty. */
  shift(): number {
    if (this.#size === 0) return 0;
    const slot = this.#ring[this.#head];
    this.#head = (this.#head + 1) & (this.#ring.length - 1);
    this.#size--;
    return slot;
  }

  #growIfFull(): void {
    const length = this.#ring.length;
    if (this.#size < length) return;
    const grown = new Int32Array(length * 2);
    for (let i = 0; i < this.#size; i++) grown[i] = this.#ring[(this.#head + i) & (length - 1)];
    this.#ring = grown;
    this.#head = 0;
  }
}
