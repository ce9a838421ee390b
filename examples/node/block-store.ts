import { createHash } from 'node:crypto';
import type { BlockHeader, InMemoryBackend } from '../../src/main/index';

/** A header as the simulated node makes it. */
export interface DemoHeader extends BlockHeader {
  stateRoot: string;
  extrinsicsRoot: string;
  fork: number;
}

/** One signed transaction of a block body. */
export interface Extrinsic {
  signer: string;
  nonce: number;
  call: string;
}

/** A block kept in the node's store: its body and the state it produced. */
export interface StoredBlock {
  header: DemoHeader;
  body: Extrinsic[];
  /** Storage entries the block wrote, kept while the block can still be queried. */
  state: Map<string, string>;
}

/**
 * The node's block database. Blocks stay while they may still be needed: unfinalized
 * blocks, the last few finalized ones, and any block a notification still pins. Pruning
 * is deferred for pinned blocks, as in Substrate, which is how a consumer that keeps
 * notifications makes the node's memory grow.
 */
export class BlockStore {
  readonly #blocks = new Map<string, StoredBlock>();
  /** Blocks that pruning wanted to remove while they were pinned. */
  readonly #deferred = new Set<string>();
  readonly #backend: InMemoryBackend;
  readonly #bodyKb: number;

  constructor(backend: InMemoryBackend, bodyKb: number) {
    this.#backend = backend;
    this.#bodyKb = bodyKb;
  }

  get size(): number {
    return this.#blocks.size;
  }

  /** Blocks kept only because a notification pins them. */
  get deferredPrunes(): number {
    return this.#deferred.size;
  }

  get(hash: string): StoredBlock | undefined {
    return this.#blocks.get(hash);
  }

  /** Builds and stores a block on `parent`; `fork` tells siblings apart. */
  build(parent: DemoHeader | null, fork: number): StoredBlock {
    const number = parent === null ? 0 : parent.number + 1;
    const parentHash = parent === null ? '0x' + '00'.repeat(32) : parent.hash;
    const body = makeBody(number, fork, this.#bodyKb);
    const state = execute(body);
    const header: DemoHeader = {
      hash: hashOf(`${parentHash}/${number}/${fork}`),
      number,
      parentHash,
      stateRoot: hashOf(`state/${number}/${fork}/${state.size}`),
      extrinsicsRoot: hashOf(`body/${number}/${fork}/${body.length}`),
      fork,
    };
    const block = { header, body, state };
    this.#blocks.set(header.hash, block);
    return block;
  }

  /** Removes a block no longer needed, or defers that while it is pinned. */
  prune(hash: string): void {
    if (!this.#blocks.has(hash)) return;
    if (this.#backend.isPinned(hash)) {
      this.#deferred.add(hash);
      return;
    }
    this.#blocks.delete(hash);
    this.#deferred.delete(hash);
  }

  /** Retries the deferred prunes: blocks whose last pin went since. */
  retryDeferred(): void {
    for (const hash of [...this.#deferred]) this.prune(hash);
  }
}

export function hashOf(text: string): string {
  return '0x' + createHash('sha256').update(text).digest('hex');
}

/** Transactions of about `kb` KiB: signer, nonce and a hex-encoded call each. */
function makeBody(number: number, fork: number, kb: number): Extrinsic[] {
  const count = Math.max(1, Math.round((kb * 1024) / 400));
  const body: Extrinsic[] = [];
  for (let i = 0; i < count; i++) {
    const seed = `${number}:${fork}:${i}`;
    body.push({
      signer: hashOf(`signer/${i % 97}`),
      nonce: number * 1000 + i,
      call: hashOf(seed).repeat(5),
    });
  }
  return body;
}

/** Runs the block: every transaction writes a few storage entries. */
function execute(body: Extrinsic[]): Map<string, string> {
  const state = new Map<string, string>();
  for (const extrinsic of body) {
    state.set(`balance/${extrinsic.signer}`, String(extrinsic.nonce * 7));
    state.set(`nonce/${extrinsic.signer}`, String(extrinsic.nonce));
    state.set(`event/${extrinsic.nonce}`, extrinsic.call.slice(0, 64));
  }
  return state;
}
