import type { Engine } from './engine';
import type { Finding, FindingKind, StreamRef } from '../shared/finding';
import type { SiteResolver } from './site';
import type { StreamEntry } from './stream-entry';
import type { ScanContext, StreamRule, StreamView } from './stream-view';
import type { Settings } from '../shared/settings';
import type { LabelTotals } from '../shared/snapshot';
import { KIND_SEVERITY, SCHEMA_VERSION } from '../shared/finding';
import { growingRule } from './rules/growing';
import { heldRule } from './rules/held';
import { leakRule } from './rules/leak';
import { slowRule } from './rules/slow';
import { SLOT_HELD, SLOT_QUEUED } from './slot-table';
import { exclusiveHeld, settledGcs } from './stream-view';

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
    majorGcs: engine.majorGcs,
    lastMajorGcAt: engine.lastMajorGcAt,
    settledGcs: settledGcs(engine.majorGcs, engine.lastMajorGcAt, now, settings.gcSettleMs),
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
      entry.liveHistory.push(view.live);
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

function walkSlots(engine: Engine, context: ScanContext): Map<number, StreamView> {
  const views = new Map<number, StreamView>();
  const slots = engine.slots;
  const { state, since, epoch, stream, group, key } = slots;
  const settledGcCount = context.settledGcs;
  const groupStreams = new Map<number, Set<number>>();
  const viewGroups = new Map<StreamView, Set<number>>();

  for (let slot = 1; slot <= slots.high; slot++) {
    const slotState = state[slot];
    if (slotState !== SLOT_QUEUED && slotState !== SLOT_HELD) continue;
    const streamId = stream[slot];
    let view = views.get(streamId);
    if (view === undefined) {
      const entry = engine.streams.get(streamId);
      if (entry === undefined) continue;
      view = emptyView(entry);
      views.set(streamId, view);
    }
    const at = since[slot];
    const pinned = key[slot];
    if (pinned && !pinned.gone) view.pinnedSlots++;
    if (slotState === SLOT_QUEUED) {
      if (at < view.oldestQueuedAt) view.oldestQueuedAt = at;
      if (at < oldestOf(view)) view.oldestSlot = slot;
      continue;
    }
    // A held notification taken after the last settled full GC may be garbage already.
    if (epoch[slot] >= settledGcCount) continue;
    view.confirmedHeld++;
    if (at < view.oldestHeldAt) {
      if (at < oldestOf(view)) view.oldestSlot = slot;
      view.oldestHeldAt = at;
    }
    const slotGroup = group[slot];
    if (slotGroup !== 0) {
      view.sharedHeld++;
      let members = groupStreams.get(slotGroup);
      if (members === undefined) groupStreams.set(slotGroup, (members = new Set()));
      members.add(streamId);
      let groups = viewGroups.get(view);
      if (groups === undefined) viewGroups.set(view, (groups = new Set()));
      groups.add(slotGroup);
    }
  }

  for (const [view, groups] of viewGroups) {
    for (const id of groups) {
      for (const member of groupStreams.get(id) ?? []) {
        if (member !== view.entry.id) view.sharedWith.add(member);
      }
    }
    // A group whose other members let go is this stream's alone after all.
    if (view.sharedWith.size === 0) view.sharedHeld = 0;
  }
  for (const view of views.values()) {
    view.live = view.entry.queued + view.confirmedHeld * view.entry.sampleEvery;
    if (view.oldestSlot !== 0) {
      const pinned = key[view.oldestSlot];
      view.oldestKey = pinned ? pinned.key : `#${slots.seq[view.oldestSlot]}`;
    }
  }
  return views;
}

function oldestOf(view: StreamView): number {
  return Math.min(view.oldestQueuedAt, view.oldestHeldAt);
}

function emptyView(entry: StreamEntry): StreamView {
  return {
    entry,
    confirmedHeld: 0,
    sharedHeld: 0,
    sharedWith: new Set(),
    live: entry.queued,
    oldestQueuedAt: Infinity,
    oldestHeldAt: Infinity,
    oldestSlot: 0,
    oldestKey: '',
    pinnedSlots: 0,
  };
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

/** Builds the finding for one stream; also used for the snapshot's stream list. */
export function streamFinding(
  kind: FindingKind,
  message: string,
  view: StreamView,
  sites: SiteResolver,
  now: number,
): Finding {
  const entry = view.entry;
  const frames = sites.frames(entry.stack);
  const oldest = Math.min(view.oldestQueuedAt, view.oldestHeldAt);
  return {
    v: SCHEMA_VERSION,
    time: new Date().toISOString(),
    kind,
    stream: entry.id,
    label: entry.label,
    message,
    delivered: entry.delivered,
    queued: entry.queued,
    held: kind === 'leak' || kind === 'held' ? exclusiveHeld(view) : view.confirmedHeld,
    live: view.live,
    closed: entry.closedAt !== 0,
    closedBy: entry.closedAt === 0 ? null : entry.closedByGc ? 'gc' : 'explicit',
    ageMs: Math.round(now - entry.createdAt),
    oldestAgeMs: Number.isFinite(oldest) ? Math.round(now - oldest) : 0,
    oldestKey: view.oldestKey,
    site: sites.site(frames),
    stack: sites.format(frames),
    collectedUnreleased: entry.collectedUnreleased,
    sampleEvery: entry.sampleEvery,
  };
}

/**
 * Notifications that several streams received as one object and that survive a full GC:
 * GC cannot say which consumer keeps them, so one finding names all candidates instead of
 * blaming any of them.
 */
function sharedFindings(
  views: StreamView[],
  context: ScanContext,
  sites: SiteResolver,
  engine: Engine,
) {
  const byGroup = new Map<string, StreamView[]>();
  for (const view of views) {
    if (view.sharedHeld * view.entry.sampleEvery <= context.settings.heldThreshold) continue;
    const members = [view.entry.id, ...view.sharedWith].sort((a, b) => a - b);
    const signature = members.join(',');
    if (!byGroup.has(signature)) byGroup.set(signature, []);
    byGroup.get(signature)!.push(view);
  }
  const findings: Finding[] = [];
  for (const [signature, candidates] of byGroup) {
    const first = candidates[0];
    const count = Math.max(...candidates.map((view) => view.sharedHeld * view.entry.sampleEvery));
    const refs: StreamRef[] = signature.split(',').map((id) => refOf(engine, Number(id), sites));
    const finding = streamFinding('shared', '', first, sites, context.now);
    finding.stream = 0;
    finding.held = count;
    finding.live = count;
    finding.site = refs.map((ref) => ref.site).join(', ');
    finding.sharedWith = refs;
    finding.message =
      `${count} notifications delivered as the same objects to streams ` +
      `${refs.map((ref) => `#${ref.stream}`).join(', ')} survive a full GC: one of these ` +
      `consumers keeps them and GC cannot tell which. Track with { copy: true } for exact ` +
      `attribution.`;
    findings.push(finding);
  }
  return findings;
}

function pinLimitFinding(
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

/** A short reference to a stream for lists of holders and sharers. */
export function refOf(engine: Engine, id: number, sites: SiteResolver): StreamRef {
  const entry = engine.streams.get(id);
  if (entry === undefined) return { stream: id, label: 'unknown', site: 'unknown' };
  return { stream: id, label: entry.label, site: sites.site(sites.frames(entry.stack)) };
}

/** Closed streams with nothing live, and unknown ones gone quiet, leave the table. */
function dropFinishedStreams(engine: Engine): void {
  for (const [id, entry] of engine.streams) {
    if (entry.queued + entry.held > 0) continue;
    if (entry.closedAt !== 0 || entry.unknown) engine.streams.delete(id);
  }
}
