import type { DemoContext } from '../node/demo-context';

/** What the best-block tracker knows: the best block and how often it re-orged. */
export const bestBlock = { number: 0, hash: '', reorgs: 0 };

/**
 * A healthy import consumer: follows the best block and releases every notification as
 * soon as it has read it. Never reported.
 */
export async function runBestBlockTracker(context: DemoContext): Promise<void> {
  const stream = context.hub.importNotificationStream();
  for await (const notification of stream) {
    try {
      if (!notification.isNewBest) continue;
      bestBlock.number = notification.number;
      bestBlock.hash = notification.hash;
      if (notification.treeRoute !== null) bestBlock.reorgs++;
    } finally {
      notification.release();
    }
  }
}
