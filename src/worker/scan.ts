import type { Engine } from './engine';
import type { Finding, FindingKind } from '../shared/finding';
import type { SiteResolver } from './site';
import type { ScanContext, StreamRule, StreamView } from './stream-view';
import type { Settings } from '../shared/settings';
import type { LabelTotals } from '../shared/snapshot';
import { KIND_SEVERITY } from '../shared/finding';
import { refOf, streamFinding } from './finding-builder';
import { growingRule } from './rules/growing';
import { heldRule } from './rules/held';
import { leakRule } from './rules/leak';
import { pinLimitFinding } from './rules/pin-limit';
import { sharedFindings } from './rules/shared';
import { slowRule } from './rules/slow';
import { emptyView, walkSlots } from './slot-walk';
import { ownLive } from './stream-view';

export const STREAM_RULES: readonly StreamRule[] = [leakRule, growingRule, heldRule, slowRule];

/** What one scan saw, for the summary line, the snapshot and the metrics. */
export interface ScanResult {
  time: number;
  findings: Finding[];
  views: StreamView[];
  streams: number;
  open: number;
  /** Closed streams that still hold notifications but wait for a full GC to confirm it. */
  awaitingGc: number;
  liveSlots: number;
  pinnedKeys: number;
  pinLimit: number;
  evictedTotal: number;
  evictedSinceLastScan: number;
  labels: Record<string, LabelTotals>;
  counts: Partial<Record<FindingKind, number>>;
}

/**
 * Walks every live notification once, then judges every stream with the rules. The walk
 * is O(live notifications) and runs on the worker's timer, never per record.
 */
export function scan(
  engine: Engine,
  settings: Settings,
  sites: SiteResolver,
  now: number,
  commit = true,
): ScanResult {
  const context: ScanContext = {
    now,
    settings,
    settled: engine.gcs.settled(now, settings.gcSettleMs),
  };
  const views = walkSlots(engine, context);
  const findings: Finding[] = [];
  const result: ScanResult = {
    time: now,
    findings,
    views: [],
    streams: engine.streams.size,
    open: 0,
    awaitingGc: 0,
    liveSlots: engine.slots.live,
    pinnedKeys: engine.keys.size,
    pinLimit: engine.keys.limit,
    evictedTotal: engine.keys.evictedTotal,
    evictedSinceLastScan: engine.evictionsSinceScan,
    labels: {},
    counts: {},
  };

  for (const entry of engine.streams.values()) {
    const view = views.get(entry.id) ?? emptyView(entry);
    result.views.push(view);
    addToLabel(result.labels, view);
    if (entry.closedAt === 0) {
      result.open++;
    }
    if (entry.closedAt === 0 && commit) {
      // Shared holdings are left out: GC cannot say this stream is the one that keeps them.
      entry.liveHistory.push(ownLive(view));
      if (entry.liveHistory.length > settings.growingScans + 1) entry.liveHistory.shift();
    }
    // A stream known only from later records (its open record predates this worker, or was
    // dropped) has partial counts: it is shown, never judged.
    if (entry.unknown) continue;
    for (const rule of STREAM_RULES) {
      const verdict = rule.check(view, context);
      if (verdict === 'recheck' && rule === leakRule) result.awaitingGc++;
      if (verdict !== 'flag') continue;
      const message = rule.describe(view, context);
      const finding = streamFinding(rule.kind as FindingKind, message, view, sites, now);
      if (view.sharedWith.size > 0) {
        finding.sharedWith = [...view.sharedWith].map((id) => refOf(engine, id, sites));
      }
      findings.push(finding);
      // One finding per stream: the rules are ordered worst first.
      break;
    }
  }

  findings.push(...sharedFindings(result.views, context, sites, engine));
  const pinLimit = pinLimitFinding(engine, result, sites, views, now);
  if (pinLimit) findings.push(pinLimit);
  for (const finding of findings)
    result.counts[finding.kind] = (result.counts[finding.kind] ?? 0) + 1;
  findings.sort((a, b) => KIND_SEVERITY[b.kind] - KIND_SEVERITY[a.kind] || b.live - a.live);

  if (commit) {
    dropFinishedStreams(engine);
    engine.evictionsSinceScan = 0;
    engine.evictions = [];
  }
  return result;
}

function addToLabel(labels: Record<string, LabelTotals>, view: StreamView): void {
  const entry = view.entry;
  const totals = (labels[entry.label] ??= {
    streams: 0,
    open: 0,
    delivered: 0,
    queued: 0,
    held: 0,
    live: 0,
  });
  totals.streams++;
  if (entry.closedAt === 0) totals.open++;
  totals.delivered += entry.delivered;
  totals.queued += entry.queued;
  totals.held += view.confirmedHeld * entry.sampleEvery;
  totals.live += view.live;
}

/** Closed streams with nothing live, and unknown ones gone quiet, leave the table. */
function dropFinishedStreams(engine: Engine): void {
  for (const [id, entry] of engine.streams) {
    if (entry.queued + entry.held > 0) continue;
    if (entry.closedAt !== 0 || entry.unknown) engine.streams.delete(id);
  }
}
