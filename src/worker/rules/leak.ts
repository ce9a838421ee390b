import type { ScanContext, StreamRule, StreamView, Verdict } from '../stream-view';
import { exclusiveHeld } from '../stream-view';

/**
 * `leak`: a closed stream whose notifications are still alive. Closing does not free what
 * the consumer kept, and GC may simply not have run yet, so the finding waits until a
 * major GC has happened at least `closeGraceMs` after the close and had `gcSettleMs` to
 * deliver its callbacks.
 */
export const leakRule: StreamRule = {
  kind: 'leak',
  summary: 'closed streams still hold notifications',
  check(view: StreamView, context: ScanContext): Verdict {
    const entry = view.entry;
    if (entry.closedAt === 0) return 'ok';
    const own = entry.queued + exclusiveHeld(view);
    if (own <= 0) return entry.held > view.confirmedHeld ? 'recheck' : 'ok';
    // Producers keep their latest value for late subscribers (shareReplay, BehaviorSubject,
    // a client's cached head): that one alone proves nothing against the consumer.
    if (own === 1 && view.latestHeld && entry.queued === 0) return 'ok';
    const { settled, settings } = context;
    const gcSinceClose = settled.count > entry.majorGcsAtClose;
    // Libraries often keep the last value a moment after an unsubscribe (a replay cache,
    // a shared subscription's linger): only a GC a grace time after the close decides.
    // (The close is stamped when its batch arrives, up to a flush later than it happened,
    // while a GC carries its own time: compare times only when a grace is asked for.)
    const grace = settings.closeGraceMs;
    const pastGrace = grace === 0 || settled.lastAt >= entry.closedAt + grace;
    return gcSinceClose && pastGrace ? 'flag' : 'recheck';
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
