/** One pinned key (a block hash, usually) and who holds it. */
export interface KeyEntry {
  readonly key: string;
  /** Live notifications pinning this key, over every stream. */
  refs: number;
  /** When it was last pinned; the least recent goes first when over the limit. */
  lastPinAt: number;
  /** When it was first pinned in its current life (reset when it leaves the table). */
  firstPinAt: number;
  /** Set when the key left the table (refs reached 0 or it was evicted). */
  gone: boolean;
}

/**
 * Per-key pin refcounts, bounded like Substrate's notification LRU: when more keys are
 * pinned than the limit, the least recently pinned one is force-unpinned, and the caller
 * is told so it can name who held it. A key leaves the table when its last pin goes.
 */
export class KeyTable {
  readonly #entries = new Map<string, KeyEntry>();
  /** Cache from the host's string id to the entry, so a pin costs no Map lookup. */
  #byStringId: (KeyEntry | undefined)[] = [];
  #limit: number;
  /** The key pinned last, already at the end of the LRU order. */
  #mostRecent: KeyEntry | null = null;
  readonly #onEvict: (entry: KeyEntry) => void;
  /** Keys force-unpinned since the process started. */
  evictedTotal = 0;

  constructor(limit: number, onEvict: (entry: KeyEntry) => void) {
    this.#limit = limit;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#entries.size;
  }

  get limit(): number {
    return this.#limit;
  }

  set limit(limit: number) {
    this.#limit = limit;
  }

  entries(): IterableIterator<KeyEntry> {
    return this.#entries.values();
  }

  /** The host reused `stringId` for another string: forget the cached entry. */
  forgetStringId(stringId: number): void {
    this.#byStringId[stringId] = undefined;
  }

  pin(stringId: number, key: string, now: number): KeyEntry {
    let entry = this.#byStringId[stringId];
    if (entry === undefined || entry.gone) {
      entry = this.#entries.get(key);
      if (entry === undefined) {
        entry = { key, refs: 0, lastPinAt: now, firstPinAt: now, gone: false };
        this.#entries.set(key, entry);
        this.#mostRecent = entry;
        if (this.#entries.size > this.#limit) this.#evictOldest();
      }
      this.#byStringId[stringId] = entry;
    }
    if (entry !== this.#mostRecent) {
      // The Map's order is the LRU order: move the key to the end. One block delivered to
      // many streams in a row pays this once.
      this.#entries.delete(entry.key);
      this.#entries.set(entry.key, entry);
      this.#mostRecent = entry;
    }
    entry.refs++;
    entry.lastPinAt = now;
    return entry;
  }

  unpin(entry: KeyEntry): void {
    if (entry.gone) return;
    if (--entry.refs <= 0) {
      entry.gone = true;
      this.#entries.delete(entry.key);
    }
  }

  /** Force-unpins the least recently pinned key: the first in the Map's order. */
  #evictOldest(): void {
    const oldest = this.#entries.values().next().value;
    if (oldest === undefined) return;
    this.#entries.delete(oldest.key);
    oldest.gone = true;
    this.evictedTotal++;
    this.#onEvict(oldest);
  }
}
