import { Log } from '../../shared/log';

/**
 * Where the hub pins the blocks its notifications refer to. Every delivered notification
 * pins its block once and unpins it once (release, dispose, a dropped queue, or GC), so a
 * backend that counts references knows when nothing refers to a block any more.
 */
export interface PinBackend {
  pin(hash: string): void;
  unpin(hash: string): void;
  /**
   * Called once by each hub that uses the backend, so a backend that force-unpins can
   * name who held the block. Optional.
   */
  attachHolders?(holdersOf: HolderLookup): void;
}

/** One stream that holds live notifications of a block. */
export interface BlockHolder {
  /** The stream's name: the one given to the stream method, or `<label> stream <n>`. */
  name: string;
  label: string;
  /** The pinwatch stream id when the agent tracks the stream (0 when it does not). */
  stream: number;
  /** Live notifications of the block the stream holds (queued or taken, unreleased). */
  count: number;
}

export type HolderLookup = (hash: string) => BlockHolder[];

/** What a force-unpin reports. */
export interface ForceUnpin {
  hash: string;
  /** The references the block still had when it was force-unpinned. */
  refs: number;
  limit: number;
  holders: BlockHolder[];
}

export interface InMemoryBackendOptions {
  /** Blocks pinned at once before the oldest is force-unpinned. Default 1024, as Substrate. */
  limit?: number;
  /** Told about every force-unpin. Default: one warning line on stderr. */
  onForceUnpin?: (event: ForceUnpin) => void;
}

export const DEFAULT_PIN_LIMIT = 1024;

/** Holders named in the default warning line at most. */
const HOLDERS_IN_WARNING = 5;

/**
 * A reference-counted pin table with an LRU bound, the application-side mirror of
 * Substrate's notification pinning cache: when more blocks are pinned than the limit, the
 * least recently pinned one is force-unpinned. Later unpins of that block are ignored,
 * because its references were dropped at once.
 */
export class InMemoryBackend implements PinBackend {
  /** Insertion order is the LRU order: a pin moves its block to the end. */
  readonly #refs = new Map<string, number>();
  readonly #limit: number;
  readonly #onForceUnpin: (event: ForceUnpin) => void;
  readonly #lookups: HolderLookup[] = [];
  #forceUnpinned = 0;

  constructor(options: InMemoryBackendOptions = {}) {
    this.#limit = validLimit(options.limit);
    this.#onForceUnpin = options.onForceUnpin ?? warnForceUnpin;
  }

  /** Blocks pinned now. */
  get pinnedCount(): number {
    return this.#refs.size;
  }

  get limit(): number {
    return this.#limit;
  }

  /** Blocks force-unpinned since the backend was created. */
  get forceUnpinned(): number {
    return this.#forceUnpinned;
  }

  isPinned(hash: string): boolean {
    return this.#refs.has(hash);
  }

  /** References to `hash` (0 when it is not pinned). */
  refsOf(hash: string): number {
    return this.#refs.get(hash) ?? 0;
  }

  pin(hash: string): void {
    const refs = this.#refs.get(hash) ?? 0;
    this.#refs.delete(hash);
    this.#refs.set(hash, refs + 1);
    if (refs === 0 && this.#refs.size > this.#limit) this.#evictOldest();
  }

  unpin(hash: string): void {
    const refs = this.#refs.get(hash);
    if (refs === undefined) return;
    if (refs <= 1) this.#refs.delete(hash);
    else this.#refs.set(hash, refs - 1);
  }

  attachHolders(holdersOf: HolderLookup): void {
    if (!this.#lookups.includes(holdersOf)) this.#lookups.push(holdersOf);
  }

  #evictOldest(): void {
    const oldest = this.#refs.keys().next();
    if (oldest.done === true) return;
    const hash = oldest.value;
    const refs = this.#refs.get(hash) ?? 0;
    this.#refs.delete(hash);
    this.#forceUnpinned++;
    const holders = this.#lookups.flatMap((lookup) => lookup(hash));
    holders.sort((a, b) => b.count - a.count);
    try {
      this.#onForceUnpin({ hash, refs, limit: this.#limit, holders });
    } catch (error) {
      warnLog.warn('force-unpin listener failed', { error });
    }
  }
}

const warnLog = new Log('main', 'warn');

function validLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_PIN_LIMIT;
  if (typeof limit === 'number' && Number.isInteger(limit) && limit >= 1) return limit;
  warnLog.warn(
    `InMemoryBackend limit must be an integer of at least 1, got ${String(limit)}; ` +
      `using ${DEFAULT_PIN_LIMIT}`,
  );
  return DEFAULT_PIN_LIMIT;
}

/** Describes holders for a warning line: `name x2 (pinwatch stream #7)`. */
export function describeHolders(holders: BlockHolder[], max = HOLDERS_IN_WARNING): string {
  if (holders.length === 0) return 'none';
  const named = holders.slice(0, max).map((holder) => {
    const tracked = holder.stream > 0 ? ` (pinwatch stream #${holder.stream})` : '';
    return `${holder.name} x${holder.count}${tracked}`;
  });
  const more = holders.length > max ? `; and ${holders.length - max} more` : '';
  return named.join('; ') + more;
}

function warnForceUnpin(event: ForceUnpin): void {
  warnLog.warn('pinned block limit reached, oldest block force-unpinned', {
    hash: event.hash,
    refs: event.refs,
    limit: event.limit,
    holders: describeHolders(event.holders),
  });
}
