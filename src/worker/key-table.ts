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
  /** Neighbours in the recency list, least recent first. */
  older: KeyEntry | null;
  newer: KeyEntry | null;
}

/**
 * Per-key pin refcounts, bounded like Substrate's notification LRU: when more keys are
 * pinned than the limit, the least recently pinned one is force-unpinned, and the caller
 * is told so it can name who held it. A key leaves the table when its last pin goes.
 *
 * Recency is an intrusive doubly linked list through the entries, so a pin moves its key
 * to the front in O(1) without touching the Map (a string-keyed delete and insert per pin
 * cost more than everything else the worker does per record).
 */
export class KeyTable {
  readonly #entries = new Map<string, KeyEntry>();
  /** Cache from the host's string id to the entry, so a pin costs no Map lookup. */
  #byStringId: (KeyEntry | undefined)[] = [];
  #limit: number;
  #oldest: KeyEntry | null = null;
  #newest: KeyEntry | null = null;
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
        entry = {
          key,
          refs: 0,
          lastPinAt: now,
          firstPinAt: now,
          gone: false,
          older: null,
          newer: null,
        };
        this.#entries.set(key, entry);
        this.#append(entry);
        if (this.#entries.size > this.#limit) this.#evictOldest();
      }
      this.#byStringId[stringId] = entry;
    }
    if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#append(entry);
    }
    entry.refs++;
    entry.lastPinAt = now;
    return entry;
  }

  unpin(entry: KeyEntry): void {
    if (entry.gone) return;
    if (--entry.refs <= 0) this.#remove(entry);
  }

  /** Force-unpins the least recently pinned key. */
  #evictOldest(): void {
    const oldest = this.#oldest;
    if (oldest === null) return;
    this.#remove(oldest);
    this.evictedTotal++;
    this.#onEvict(oldest);
  }

  #remove(entry: KeyEntry): void {
    entry.gone = true;
    this.#entries.delete(entry.key);
    this.#unlink(entry);
  }

  #append(entry: KeyEntry): void {
    entry.older = this.#newest;
    entry.newer = null;
    if (this.#newest !== null) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }

  #unlink(entry: KeyEntry): void {
    if (entry.older !== null) entry.older.newer = entry.newer;
    else if (this.#oldest === entry) this.#oldest = entry.newer;
    if (entry.newer !== null) entry.newer.older = entry.older;
    else if (this.#newest === entry) this.#newest = entry.older;
    entry.older = null;
    entry.newer = null;
  }
}
