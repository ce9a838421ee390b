import type { FinalityNotification, NotificationStream } from '../../src/main/index';
import type { DemoHeader } from '../node/block-store';
import type { DemoContext } from '../node/demo-context';

/** Finality waiters by block hash; the code that was to poll and close them was removed. */
const waiters = new Map<string, NotificationStream<FinalityNotification<DemoHeader>>>();

/**
 * Opens a stream per block and never closes it: a transaction tracker opens a finality
 * stream for each imported block, to learn when that block is final. It reads none of
 * them and closes none, so there is one more stream, and one more queue, per block.
 */
export async function runTransactionTracker(context: DemoContext): Promise<void> {
  for await (using block of context.hub.everyImportNotificationStream()) {
    // CULPRIT: one more finality stream per imported block, never read or closed.
    const waiter = context.hub.finalityNotificationStream();
    waiters.set(block.hash, waiter);
  }
}
