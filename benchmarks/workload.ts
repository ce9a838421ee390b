/** A block notification as a chain client hands it out. */
export interface BlockNotification {
  hash: string;
  number: number;
  parentHash: string;
}

/** Distinct block hashes the workload cycles through, like a window of recent blocks. */
export const HASH_POOL_SIZE = 1024;

function hexHash(seed: number): string {
  return `0x${seed.toString(16).padStart(8, '0').repeat(8)}`;
}

const HASHES: string[] = Array.from({ length: HASH_POOL_SIZE + 1 }, (_, i) => hexHash(i + 1));

/**
 * A fresh notification object for block `n`: a new object every call (as a client builds
 * one per delivery), with 66-character hashes taken from a pool of recent blocks.
 */
export function blockAt(n: number): BlockNotification {
  const index = n % HASH_POOL_SIZE;
  return { hash: HASHES[index + 1], number: n, parentHash: HASHES[index] };
}

/**
 * A hash that was never used before, for workloads where every key is new. It is made a
 * flat string, as strings that arrive through postMessage are: a concatenation would be
 * a rope that every Map lookup first has to flatten.
 */
export function uniqueHash(n: number): string {
  return Buffer.from(`0x${n.toString(16).padStart(64, '0')}`, 'latin1').toString('latin1');
}

/** Sink that keeps the JIT from dropping work whose result is unused. */
export const sink = { value: 0 };

export function consume(notification: BlockNotification): void {
  sink.value += notification.number & 1;
}
