import type { DemoContext } from '../node/demo-context';
import { sleep } from '../node/demo-context';

/** Blocks the archiver has written. */
export const archived = { count: 0 };

/**
 * A slow consumer: an archiver spends a fixed time writing each imported block. It keeps
 * up at the normal block rate, and falls behind when the node imports a burst of blocks
 * after catching up with the network.
 */
export async function runArchiver(context: DemoContext): Promise<void> {
  // CULPRIT: keeps up most of the time; a burst of blocks piles up in its queue.
  const stream = context.hub.importNotificationStream();
  for await (const notification of stream) {
    await sleep(context.slowWorkMs);
    archived.count++;
    notification.release();
  }
}
