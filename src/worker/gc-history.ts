/** Major GCs remembered; older ones are long settled. */
const REMEMBERED = 64;

/** What the worker knows of the host's full garbage collections. */
export interface SettledGcs {
  /** Major GCs that have had the settle time to run their callbacks. */
  count: number;
  /** When the newest of those ran (worker clock), or -Infinity if none has. */
  lastAt: number;
  /**
   * When the newest of those began marking, or -Infinity if none has. Only what was
   * unreachable by then was sure to be collected: V8 keeps whatever it reached, or
   * allocated, while marking incrementally.
   */
  markedFrom: number;
}

/**
 * The host's major GCs as the worker saw them, newest last. A GC counts as settled once
 * the settle time has passed since it: its FinalizationRegistry callbacks have then run
 * and their releases have reached the worker.
 */
export class GcHistory {
  readonly #times = new Float64Array(REMEMBERED);
  readonly #markedFrom = new Float64Array(REMEMBERED);
  /** Major GCs observed since the worker started. */
  count = 0;

  /**
   * Adds a GC that ended at `at` and began marking at `markedFrom` (at most `at`); times
   * never go backwards, so the order stays sorted.
   */
  record(at: number, markedFrom = at): void {
    const index = this.count % REMEMBERED;
    const previousMarkedFrom =
      this.count === 0 ? 0 : this.#markedFrom[(this.count - 1) % REMEMBERED];
    this.#times[index] = Math.max(at, this.lastAt);
    this.#markedFrom[index] = Math.max(Math.min(markedFrom, at), previousMarkedFrom);
    this.count++;
  }

  get lastAt(): number {
    return this.count === 0 ? 0 : this.#times[(this.count - 1) % REMEMBERED];
  }

  settled(now: number, settleMs: number): SettledGcs {
    const remembered = Math.min(this.count, REMEMBERED);
    for (let back = 0; back < remembered; back++) {
      const index = (this.count - 1 - back) % REMEMBERED;
      const at = this.#times[index];
      if (now - at >= settleMs) {
        return { count: this.count - back, lastAt: at, markedFrom: this.#markedFrom[index] };
      }
    }
    // Every remembered GC is too recent; older ones, if any, are settled but undated.
    return { count: this.count - remembered, lastAt: -Infinity, markedFrom: -Infinity };
  }
}
