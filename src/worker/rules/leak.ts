import type { ScanContext, StreamRule, StreamView, Verdict } from '../stream-view';
import { exclusiveHeld } from '../stream-view';

/**
 * `leak`: a closed stream whose notifications are still alive. Closing does not free what
 * the consumer kept, and GC may simply not have run yet, so the finding waits until a
 * major GC has happened after the close and had `gcSettleMs` to deliver its callbacks.
 */
export const leakRule: StreamRule = {
  kind: 'leak',
  summary: 'closed streams still hold notifications',
  check(view: StreamView, context: ScanContext): Verdict {
    const entry = view.entry;
    if (entry.closedAt === 0) return 'ok';
    if (entry.queued + exclusiveHeld(view) <= 0) {
      return entry.held > view.confirmedHeld ? 'recheck' : 'ok';
    }
    return context.settledGcs > entry.majorGcsAtClose ? 'flag' : 'recheck';
  },
  describe(view: StreamView): string {
    const entry = view.entry;
    const how = entry.closedByGc ? 'its handle was garbage collected' : 'it was closed';
    const held = exclusiveHeld(view);
    return (
      `${entry.queued + held} notifications outlived the stream: ${how}, ` +
      `yet ${held} taken notifications survived a full GC` +
      (entry.queued > 0 ? ` and ${entry.queued} were never taken from its queue` : '') +
      '.'
    );
  },
};
