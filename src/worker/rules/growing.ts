import type { ScanContext, StreamRule, StreamView, Verdict } from '../stream-view';
import { ownLive } from '../stream-view';

/**
 * `growing`: an open stream whose own live count (queued plus exclusively held) rose at
 * every one of the last few scans. Shared holdings are the `shared` rule's business.
 */
export const growingRule: StreamRule = {
  kind: 'growing',
  summary: 'open streams grow scan after scan',
  check(view: StreamView, context: ScanContext): Verdict {
    const { entry } = view;
    const { growingScans, growingMin } = context.settings;
    if (entry.closedAt !== 0 || ownLive(view) < growingMin) return 'ok';
    const history = entry.liveHistory;
    if (history.length < growingScans + 1) return 'ok';
    for (let i = history.length - growingScans; i < history.length; i++) {
      if (history[i] <= history[i - 1]) return 'ok';
    }
    return 'flag';
  },
  describe(view: StreamView, context: ScanContext): string {
    const history = view.entry.liveHistory;
    const span = history.slice(-(context.settings.growingScans + 1));
    return (
      `live notifications rose at each of the last ${context.settings.growingScans} scans ` +
      `(${span.join(' -> ')}), past the minimum of ${context.settings.growingMin}.`
    );
  },
};
