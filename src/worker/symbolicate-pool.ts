import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { OriginalPosition, SymbolicateTask } from './symbolicate-task';

/** An idle pool thread exits after this long, and with it every map it parsed. */
const IDLE_TIMEOUT_MS = 30_000;
/** Map bytes one pool thread may have parsed before it is replaced by a fresh one. */
const RECYCLE_AFTER_BYTES = 256 * 1024 * 1024;
/** Tasks waiting for the thread at most; more are answered with "not mapped". */
const MAX_QUEUE = 64;
/** Parsing a map of hundreds of MB needs room; a thread over this fails its task only. */
const POOL_HEAP_MB = 1024;

/**
 * A piscina pool of one thread that maps positions through large source maps. It exists
 * only while there is work: created on the first large map, its thread exits when idle,
 * and it is replaced after it has parsed a lot, because source-map-support keeps every
 * parsed map for the life of its thread and offers no way to forget one.
 */
export class SymbolicatePool {
  #pool: Piscina | null = null;
  #bytesInPool = 0;
  /** Files the current thread has parsed, so that a second task on one is not counted. */
  readonly #filesInPool = new Set<string>();
  /** Tasks that failed or were refused; said in the worker's debug log. */
  failures = 0;

  /** Maps `task`'s positions; resolves with nulls (unmapped) when the pool cannot. */
  async map(task: SymbolicateTask, mapBytes: number): Promise<OriginalPosition[]> {
    const unmapped = task.positions.map(() => null);
    try {
      const pool = this.#poolFor(task.file, mapBytes);
      const result: unknown = await pool.run(task);
      return Array.isArray(result) ? (result as OriginalPosition[]) : unmapped;
    } catch {
      this.failures++;
      return unmapped;
    }
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    this.#bytesInPool = 0;
    this.#filesInPool.clear();
    await pool?.destroy();
  }

  #poolFor(file: string, mapBytes: number): Piscina {
    const isNewFile = !this.#filesInPool.has(file);
    if (this.#pool !== null && isNewFile && this.#bytesInPool + mapBytes > RECYCLE_AFTER_BYTES) {
      // Let the old thread finish what it has, then go; new work starts a fresh thread.
      void this.#pool.close().catch(() => undefined);
      this.#pool = null;
    }
    if (this.#pool === null) {
      this.#bytesInPool = 0;
      this.#filesInPool.clear();
      this.#pool = new Piscina({
        filename: join(__dirname, 'symbolicate-task.js'),
        name: 'symbolicate',
        minThreads: 0,
        maxThreads: 1,
        idleTimeout: IDLE_TIMEOUT_MS,
        maxQueue: MAX_QUEUE,
        // The thread does nothing between tasks; 'sync' would park it in Atomics.wait.
        atomics: 'disabled',
        // A preload given through NODE_OPTIONS must not start another agent in there.
        execArgv: [],
        env: { ...process.env, PINWATCH: '0' },
        resourceLimits: { maxOldGenerationSizeMb: POOL_HEAP_MB },
      });
    }
    if (!this.#filesInPool.has(file)) {
      this.#filesInPool.add(file);
      this.#bytesInPool += mapBytes;
    }
    return this.#pool;
  }
}
