import type { DemoContext } from '../node/demo-context';

/** Finalized blocks indexed so far: the indexer's whole state, a few numbers. */
export const finalityIndex = { last: 0, count: 0, staleHeads: 0 };

/**
 * A healthy finality consumer: an indexer that reads each finalized block and lets go of
 * the notification at the end of the loop body (`using`). Never reported.
 */
export async function runFinalityIndexer(context: DemoContext): Promise<void> {
  for await (using notification of context.hub.finalityNotificationStream()) {
    finalityIndex.last = notification.number;
    finalityIndex.count += 1 + notification.treeRoute.length;
    finalityIndex.staleHeads += notification.staleHeads.length;
  }
}
