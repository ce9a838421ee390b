import { setImmediate as nextTurn } from 'node:timers/promises';
import { currentAgent, runningAgent } from '../src/main/state';
import { snapshot, start } from '../src/main/index';
import { collectGarbage } from './harness';

/**
 * Starts the agent as benchmarks run it: quiet, and no scans during timed slices unless
 * asked. The agent is created now rather than at the first tracked stream, so that code
 * using the tracker directly finds it; fails loudly if it cannot start.
 */
export function startQuietAgent(intervalMs = 3_600_000): void {
  start({ intervalMs, gcSettleMs: 50, logLevel: 'silent' });
  if (currentAgent() === null) throw new Error('the pinwatch agent did not start');
}

/** Records the host dropped so far because every buffer was out (0 when off). */
export function droppedRecords(): number {
  return runningAgent()?.tracker.recorder.droppedTotal ?? 0;
}

/**
 * Lets the agent catch up after a slice, untimed: a full GC so GC-tracked values are
 * collected, a turn for the FinalizationRegistry callbacks, then a snapshot, which returns
 * once the worker applied every record sent and so returns the buffers to the pool.
 */
export async function settleAgent(withGc: boolean): Promise<void> {
  if (withGc) {
    collectGarbage();
    await nextTurn();
    await nextTurn();
  }
  await snapshot();
}

/**
 * Counts drops around each slice of a variant: the figure of a variant whose records
 * were partly dropped is cheaper than the real thing, so the table says how many were.
 */
export class DropCounter {
  #before = 0;
  dropped = 0;

  begin(): void {
    this.#before = droppedRecords();
  }

  end(): void {
    this.dropped += droppedRecords() - this.#before;
  }
}
