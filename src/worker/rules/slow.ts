import type { ScanContext, StreamRule, StreamView, Verdict } from '../stream-view';
import { formatMs } from '../stream-view';

/** `slow`: an open stream whose consumer does not take notifications as fast as they come. */
export const slowRule: StreamRule = {
  kind: 'slow',
  summary: 'open streams fall behind their producer',
  check(view: StreamView, context: ScanContext): Verdict {
    const { entry } = view;
    if (entry.closedAt !== 0 || entry.queued === 0) return 'ok';
    if (entry.queued > context.settings.slowThreshold) return 'flag';
    return context.now - view.oldestQueuedAt > context.settings.slowAgeMs ? 'flag' : 'ok';
  },
  describe(view: StreamView, context: ScanContext): string {
    const { settings, now } = context;
    const age = now - view.oldestQueuedAt;
    return (
      `${view.entry.queued} notifications wait in the queue (threshold ` +
      `${settings.slowThreshold}); the oldest has waited ${formatMs(age)} (bound ` +
      `${formatMs(settings.slowAgeMs)}).`
    );
  },
};
