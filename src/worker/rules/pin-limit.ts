import type { Engine } from '../engine';
import type { ScanResult } from '../scan';
import type { SiteResolver } from '../site';
import type { StreamView } from '../stream-view';
import type { Finding } from '../../shared/finding';
import { SCHEMA_VERSION } from '../../shared/finding';
import { refOf } from '../finding-builder';

/** Summary fragment for the scan line, after a count. */
export const summary = 'times the pin limit forced keys out';

/**
 * `pin-limit`: the key table is at its limit, or force-unpinned keys since the last scan.
 * Names the streams pinning the most keys, the likeliest reason the limit was reached.
 */
export function pinLimitFinding(
  engine: Engine,
  result: ScanResult,
  sites: SiteResolver,
  views: Map<number, StreamView>,
  now: number,
): Finding | null {
  const { pinnedKeys, pinLimit, evictedSinceLastScan, evictedTotal } = result;
  if (evictedSinceLastScan === 0 && pinnedKeys < pinLimit) return null;
  const holders = [...views.values()]
    .filter((view) => view.pinnedSlots > 0)
    .sort((a, b) => b.pinnedSlots - a.pinnedSlots)
    .slice(0, 5)
    .map((view) => ({ ...refOf(engine, view.entry.id, sites), count: view.pinnedSlots }));
  return {
    v: SCHEMA_VERSION,
    time: new Date().toISOString(),
    kind: 'pin-limit',
    stream: 0,
    label: '',
    message:
      `${pinnedKeys} keys are pinned against a limit of ${pinLimit}; ` +
      `${evictedSinceLastScan} were force-unpinned since the last scan (${evictedTotal} in ` +
      `all). The top holders are listed.`,
    delivered: 0,
    queued: 0,
    held: 0,
    live: engine.slots.live,
    closed: false,
    closedBy: null,
    ageMs: 0,
    oldestAgeMs: Math.round(oldestPinAge(engine, now)),
    oldestKey: '',
    site: holders[0]?.site ?? '',
    stack: [],
    collectedUnreleased: 0,
    sampleEvery: 1,
    heldError: 0,
    holders,
    pinnedKeys,
    pinLimit,
    evicted: evictedTotal,
  };
}

function oldestPinAge(engine: Engine, now: number): number {
  let oldest = now;
  for (const entry of engine.keys.entries()) oldest = Math.min(oldest, entry.firstPinAt);
  return now - oldest;
}
