import type { Settings } from './settings';
import type { Snapshot } from './snapshot';

/**
 * The control plane the pinning worker exposes through comlink. It carries a handful of
 * calls a minute at most; notifications never go through it.
 */
export interface ControlApi {
  /** Resolves with the worker's current state once batch `seq` has been applied. */
  snapshot(seq: number): Promise<Snapshot>;
  /** Waits for batch `seq`, then scans and reports now. */
  flush(seq: number): Promise<void>;
  configure(changes: Partial<Settings>): void;
  /** Stops the timer, the metrics server and the pool, then closes the ports: the worker ends. */
  close(): Promise<void>;
}
