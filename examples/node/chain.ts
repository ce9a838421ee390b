import type { BlockOrigin, NotificationHub } from '../../src/main/index';
import type { BlockStore, DemoHeader } from './block-store';

export interface ChainOptions {
  /** A sibling of the new best block is imported every this many blocks. */
  forkEvery: number;
  /** Every this many forks, the sibling wins: the best chain re-orgs onto it. */
  reorgEvery: number;
  /** Finality follows the best block at this distance. */
  finalityLag: number;
  /** Finalized blocks kept before pruning. */
  keepFinalized: number;
}

/**
 * The node's view of the chain: it imports blocks with forks and re-orgs, finalizes the
 * best chain with a lag, and announces both through the hub. Finalized blocks past the
 * keep window and stale forks are pruned unless a notification pins them.
 */
export class SimulatedChain {
  readonly #hub: NotificationHub<DemoHeader>;
  readonly #store: BlockStore;
  readonly #options: ChainOptions;
  /** The best chain, by block number. */
  readonly #best: DemoHeader[] = [];
  /** Siblings that lost (or have not won yet), by number. */
  readonly #forks = new Map<number, DemoHeader>();
  #finalized = 0;
  #forkCount = 0;
  imported = 0;
  reorgs = 0;

  constructor(hub: NotificationHub<DemoHeader>, store: BlockStore, options: ChainOptions) {
    this.#hub = hub;
    this.#store = store;
    this.#options = options;
    this.#best.push(store.build(null, 0).header);
  }

  get bestNumber(): number {
    return this.#best.length - 1;
  }

  get finalizedNumber(): number {
    return this.#finalized;
  }

  /** Imports the next best block, and sometimes a fork or a re-org with it. */
  importNext(origin: BlockOrigin): void {
    const parent = this.#best[this.#best.length - 1];
    const sibling = this.#forks.get(parent.number);
    const wins = sibling !== undefined && this.#forkCount % this.#options.reorgEvery === 0;
    if (wins) {
      this.#reorgOnto(sibling, origin);
      return;
    }
    this.#importBest(parent, origin);
    if ((parent.number + 1) % this.#options.forkEvery === 0) this.#importFork(parent, origin);
  }

  /** Finalizes the best chain up to the lag and prunes what is no longer needed. */
  finalize(): void {
    const target = this.bestNumber - this.#options.finalityLag;
    if (target <= this.#finalized) return;
    const route = this.#best.slice(this.#finalized + 1, target).map((header) => header.hash);
    const staleHeads: string[] = [];
    for (const [number, fork] of this.#forks) {
      if (number > target) continue;
      staleHeads.push(fork.hash);
      this.#forks.delete(number);
      this.#store.prune(fork.hash);
    }
    this.#finalized = target;
    this.#hub.notifyFinalized(this.#best[target], { treeRoute: route, staleHeads });
    const keepFrom = target - this.#options.keepFinalized;
    for (let number = Math.max(0, keepFrom - route.length - 1); number < keepFrom; number++) {
      this.#store.prune(this.#best[number].hash);
    }
    this.#store.retryDeferred();
  }

  #importBest(parent: DemoHeader, origin: BlockOrigin): void {
    const block = this.#store.build(parent, 0);
    this.#best.push(block.header);
    this.imported++;
    this.#hub.notifyImported(block.header, { origin, isNewBest: true });
  }

  #importFork(parent: DemoHeader, origin: BlockOrigin): void {
    const block = this.#store.build(parent, 1);
    this.#forks.set(block.header.number, block.header);
    this.#forkCount++;
    this.imported++;
    this.#hub.notifyImported(block.header, { origin, isNewBest: false });
  }

  /** The sibling of the best block takes over, and a new block is built on it. */
  #reorgOnto(sibling: DemoHeader, origin: BlockOrigin): void {
    const retracted = this.#best[sibling.number];
    this.#best[sibling.number] = sibling;
    this.#forks.set(sibling.number, retracted);
    this.#forkCount++;
    this.reorgs++;
    const block = this.#store.build(sibling, 0);
    this.#best.push(block.header);
    this.imported++;
    const treeRoute = { retracted: [retracted.hash], enacted: [sibling.hash, block.header.hash] };
    this.#hub.notifyImported(block.header, { origin, isNewBest: true, treeRoute });
  }
}
