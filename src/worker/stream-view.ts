import type { SettledGcs } from './gc-history';
import type { StreamEntry } from './stream-entry';
import type { Settings } from '../shared/settings';

/** One stream as a scan sees it: the entry plus what the pass over live slots found. */
export interface StreamView {
  entry: StreamEntry;
  /** Held notifications taken before the last settled major GC: not mere garbage. */
  confirmedHeld: number;
  /** Of those, the ones whose object was also delivered to other streams. */
  sharedHeld: number;
  /** Streams that received the same objects as this one's shared, held notifications. */
  sharedWith: Set<number>;
  /** Queued plus confirmed held, scaled by the sampling rate for held. */
  live: number;
  /** Oldest queued notification's time, or Infinity. */
  oldestQueuedAt: number;
  /** Oldest confirmed held notification's time, or Infinity. */
  oldestHeldAt: number;
  /** Slot of the oldest live notification, to name its key; 0 if none. */
  oldestSlot: number;
  /** Key of that notification, or `#<ordinal>` in its stream when it has none. */
  oldestKey: string;
  /** Live notifications of this stream that still pin a key. */
  pinnedSlots: number;
  /** The stream's most recent notification is among the confirmed held ones. */
  latestHeld: boolean;
}

/** What every rule may consult besides the stream. */
export interface ScanContext {
  now: number;
  settings: Settings;
  /** Full GCs that have had `gcSettleMs` to run their callbacks, and when the last ran. */
  settled: SettledGcs;
}

export type Verdict = 'ok' | 'flag' | 'recheck';

/**
 * A finding kind checked stream by stream. `summary` reads after a count in the scan's
 * summary line ("2 closed streams still hold notifications").
 */
export interface StreamRule {
  readonly kind: string;
  readonly summary: string;
  check(view: StreamView, context: ScanContext): Verdict;
  /** One sentence with the measured value and the threshold it crossed. */
  describe(view: StreamView, context: ScanContext): string;
}

/** Held notifications that are not shared: the ones this stream alone can be blamed for. */
export function exclusiveHeld(view: StreamView): number {
  return (view.confirmedHeld - view.sharedHeld) * view.entry.sampleEvery;
}

/** Queued plus exclusively held: what this stream alone is known to keep alive. */
export function ownLive(view: StreamView): number {
  return view.entry.queued + exclusiveHeld(view);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
