import type { StreamEntry } from './stream-entry';

/**
 * The last streams that finished (closed, nothing live) after they left the worker's
 * table: snapshot() still shows them, like a terminal's scrollback, in bounded memory.
 */
export class FinishedStreams {
  readonly #ring: (StreamEntry | undefined)[];
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Array<StreamEntry | undefined>(capacity);
  }

  add(entry: StreamEntry): void {
    this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#ring.length;
  }

  /** Oldest first. */
  list(): StreamEntry[] {
    const ring = this.#ring;
    const ordered = [...ring.slice(this.#next), ...ring.slice(0, this.#next)];
    return ordered.filter((entry): entry is StreamEntry => entry !== undefined);
  }
}
