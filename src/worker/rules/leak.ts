import type { ScanContext, StreamRule, StreamView, Verdict } from '../stream-view';
import { exclusiveHeld } from '../stream-view';

/**
 * `leak`: a closed stream whose notifications are still alive. Closing does not free what
 * the consumer kept, and GC may simply not have run yet, so the finding waits until a
 * major GC that began marking at least `closeGraceMs` after the close has had
 * `gcSettleMs` to deliver its callbacks.
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
    // Only a GC that began marking after the close decides: an incremental one that was
    // already marking keeps what it reached, so it proves nothing about what the consumer
    // let go. Libraries also keep the last value a moment after an unsubscribe (a replay
    // cache, a shared subscription's linger): the marking must begin a grace time later.
    // Both times are the host's (the close's own, the GC's).
    const pastGrace = settled.markedFrom >= entry.closedAt + settings.closeGraceMs;
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
