/** The least a block header carries for the hub: its hash, number and parent. */
export interface BlockHeader {
  hash: string;
  number: number;
  parentHash: string;
}

/** How a block came in (Substrate's BlockOrigin, in short). */
export type BlockOrigin = 'genesis' | 'network-initial-sync' | 'network-broadcast' | 'own' | 'file';

/** Blocks left and entered when the best chain moves, oldest first. */
export interface TreeRoute {
  retracted: string[];
  enacted: string[];
}

/**
 * One live pin: the block a notification refers to and the stream it was delivered on.
 * The hub's FinalizationRegistry keeps it as the held value, so it must never refer back
 * to the notification.
 */
export interface Pin {
  readonly hash: string;
  /** The agent's slot for this notification; 0 when it is not tracked. */
  slot: number;
  /** Set by the first of release, dispose, a dropped queue or GC; later ones do nothing. */
  released: boolean;
  readonly owner: PinOwner;
}

/** The stream side of a pin: what ends it. */
export interface PinOwner {
  unpinned(pin: Pin, byGc: boolean): void;
}

/**
 * A notification about one block. It pins the block until `release()` or dispose
 * (`using`), or, failing both, until it is garbage collected. Each stream gets its own
 * notification object, as Substrate clones one per sink.
 */
export abstract class BlockNotification<H extends BlockHeader = BlockHeader> {
  readonly hash: string;
  readonly number: number;
  readonly header: H;
  readonly #pin: Pin;

  constructor(header: H, pin: Pin) {
    this.hash = header.hash;
    this.number = header.number;
    this.header = header;
    this.#pin = pin;
  }

  /** True once released, disposed, or dropped from a closed stream's queue. */
  get released(): boolean {
    return this.#pin.released;
  }

  /** Unpins the block. Calling it again does nothing. */
  release(): void {
    const pin = this.#pin;
    if (pin.released) return;
    pin.released = true;
    pin.owner.unpinned(pin, false);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/** What `notifyImported` says about a block besides its header. */
export interface ImportDetails {
  origin?: BlockOrigin;
  /** The block is the new best block. Default true. */
  isNewBest?: boolean;
  /** The best chain moved from one fork to another. */
  treeRoute?: TreeRoute | null;
}

/** A block was imported. */
export class ImportNotification<H extends BlockHeader = BlockHeader> extends BlockNotification<H> {
  readonly origin: BlockOrigin;
  readonly isNewBest: boolean;
  readonly treeRoute: TreeRoute | null;

  constructor(header: H, details: Required<ImportDetails>, pin: Pin) {
    super(header, pin);
    this.origin = details.origin;
    this.isNewBest = details.isNewBest;
    this.treeRoute = details.treeRoute;
  }
}

/** What `notifyFinalized` says about a block besides its header. */
export interface FinalityDetails {
  /** Blocks finalized implicitly with this one, oldest first. */
  treeRoute?: string[];
  /** Heads of forks that can no longer be finalized. */
  staleHeads?: string[];
}

/** A block was finalized. */
export class FinalityNotification<
  H extends BlockHeader = BlockHeader,
> extends BlockNotification<H> {
  readonly treeRoute: readonly string[];
  readonly staleHeads: readonly string[];

  constructor(header: H, details: Required<FinalityDetails>, pin: Pin) {
    super(header, pin);
    this.treeRoute = details.treeRoute;
    this.staleHeads = details.staleHeads;
  }
}
