import type { ScanContext, StreamRule, StreamView, Verdict } from '../stream-view';
import { exclusiveHeld, formatMs } from '../stream-view';

/**
 * `held`: an open stream whose consumer took notifications and keeps them (a hoarder, as
 * opposed to a slow reader). Only holdings that survived a full GC count.
 */
export const heldRule: StreamRule = {
  kind: 'held',
  summary: 'open streams keep the notifications they took',
  check(view: StreamView, context: ScanContext): Verdict {
    if (view.entry.closedAt !== 0) return 'ok';
    const held = exclusiveHeld(view);
    if (held <= 0) return 'ok';
    if (held > context.settings.heldThreshold) return 'flag';
    return context.now - view.oldestHeldAt > context.settings.heldAgeMs ? 'flag' : 'ok';
  },
  describe(view: StreamView, context: ScanContext): string {
    const { settings, now } = context;
    return (
      `${exclusiveHeld(view)} taken notifications are still alive after a full GC ` +
      `(threshold ${settings.heldThreshold}); the oldest was taken ` +
      `${formatMs(now - view.oldestHeldAt)} ago (bound ${formatMs(settings.heldAgeMs)}).`
    );
  },
};
