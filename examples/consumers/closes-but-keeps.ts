import type { FinalityNotification } from '../../src/main/index';
import type { DemoHeader } from '../node/block-store';
import type { DemoContext } from '../node/demo-context';

/** What the start-up probe saw; kept for a status page, notifications and all. */
export const probeResult: FinalityNotification<DemoHeader>[] = [];

const BLOCKS_TO_PROBE = 3;

/**
 * Closes its stream but keeps what it got: a start-up probe reads a few finalized blocks
 * to check that finality advances, closes the stream with `break`, and keeps the last
 * notifications for a status page. Their blocks stay pinned.
 */
export async function runStartupProbe(context: DemoContext): Promise<void> {
  // CULPRIT: closed after a few blocks, but the notifications it kept are never released.
  const stream = context.hub.finalityNotificationStream();
  for await (const notification of stream) {
    probeResult.push(notification);
    if (probeResult.length >= BLOCKS_TO_PROBE) break;
  }
}
