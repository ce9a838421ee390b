import type { ImportNotification } from '../../src/main/index';
import type { DemoHeader } from '../node/block-store';
import type { DemoContext } from '../node/demo-context';

/** The explorer's cache of recent blocks, by hash: it forgot to evict. */
const recentBlocks = new Map<string, ImportNotification<DemoHeader>>();

/**
 * A hoarder: a block explorer keeps every import notification in a map to answer
 * "recent blocks" queries, and never evicts or releases them.
 */
export async function runBlockExplorer(context: DemoContext): Promise<void> {
  // CULPRIT: every notification taken from this stream is kept.
  const stream = context.hub.importNotificationStream();
  for await (const notification of stream) {
    recentBlocks.set(notification.hash, notification);
  }
}
