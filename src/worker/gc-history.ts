/** Major GCs remembered; older ones are long settled. */
const REMEMBERED = 64;

/** What the worker knows of the host's full garbage collections. */
export interface SettledGcs {
  /** Major GCs that have had the settle time to run their callbacks. */
  count: number;
  /** When the newest of those ran (worker clock), or -Infinity if none has. */
  lastAt: number;
}

/**
 * The host's major GCs as the worker saw them, newest last. A GC counts as settled once
 * the settle time has passed since it: its FinalizationRegistry callbacks have then run
 * and their releases have reached the worker.
 */
export class GcHistory {
  readonly #times = new Float64Array(REMEMBERED);
  /** Major GCs observed since the worker started. */
  count = 0;

  /** Adds a GC that ended at `at`; times never go backwards, so the order stays sorted. */
  record(at: number): void {
    this.#times[this.count % REMEMBERED] = Math.max(at, this.lastAt);
    this.count++;
  }

  get lastAt(): number {
    return this.count === 0 ? 0 : this.#times[(this.count - 1) % REMEMBERED];
  }

  settled(now: number, settleMs: number): SettledGcs {
    const remembered = Math.min(this.count, REMEMBERED);
    for (let back = 0; back < remembered; back++) {
      const at = this.#times[(this.count - 1 - back) % REMEMBERED];
      if (now - at >= settleMs) return { count: this.count - back, lastAt: at };
    }
    // Every remembered GC is too recent; older ones, if any, are settled but undated.
    return { count: this.count - remembered, lastAt: -Infinity };
  }
}
