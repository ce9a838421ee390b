import type { RecordedRun, RunLine } from './read-run';
import type { FindingKind } from '../shared/finding';
import { KIND_SEVERITY } from '../shared/finding';

/** One stream across the run, from the `top` lists of scan lines and its findings. */
export interface StreamHistory {
  stream: number;
  label: string;
  site: string;
  /** Live notifications at each scan that listed the stream (ms since epoch, count). */
  points: Array<[number, number]>;
  peakLive: number;
  lastLive: number;
  lastBacklog: number;
  closed: boolean;
  kinds: FindingKind[];
}

/** A finding line as the report shows it. */
export interface FindingEntry {
  time: number;
  kind: FindingKind;
  stream: number;
  label: string;
  message: string;
  live: number;
  site: string;
  stack: string[];
  /** Other streams it names (sharers, holders), as printable lines. */
  related: string[];
}

export interface RunSummary {
  from: number;
  to: number;
  scans: number;
  streams: StreamHistory[];
  findings: FindingEntry[];
  budgetWarnings: RunLine[];
  evictions: number;
  pinnedKeys: number;
  pinLimit: number;
  dropped: number;
}

/** Folds a recorded run into per-stream histories and findings, worst first. */
export function summarise(run: RecordedRun): RunSummary {
  const streams = new Map<number, StreamHistory>();
  // A finding said again (worse, or in the final report) replaces its earlier line.
  const latest = new Map<string, FindingEntry>();
  const summary: RunSummary = {
    from: Infinity,
    to: -Infinity,
    scans: 0,
    streams: [],
    findings: [],
    budgetWarnings: [],
    evictions: 0,
    pinnedKeys: 0,
    pinLimit: 0,
    dropped: 0,
  };
  for (const line of run.lines) {
    const time = Date.parse(line.time);
    summary.from = Math.min(summary.from, time);
    summary.to = Math.max(summary.to, time);
    if (line.type === 'scan' || line.type === 'final') {
      summary.scans++;
      summary.pinnedKeys = numberOf(line.pinnedKeys);
      summary.pinLimit = numberOf(line.pinLimit);
      summary.dropped = numberOf(line.dropped);
      for (const row of arrayOf(line.top)) addPoint(streams, row, time);
    } else if (line.type === 'finding') {
      const entry = findingOf(line, time);
      latest.set(`${entry.kind}:${entry.stream}:${entry.related.join(';')}`, entry);
    } else if (line.type === 'budget') {
      summary.budgetWarnings.push(line);
    } else if (line.type === 'eviction') {
      summary.evictions++;
    }
  }
  const findings = [...latest.values()];
  // Findings may come before the scan line that first lists their stream.
  for (const finding of findings) {
    const history = streams.get(finding.stream);
    if (history && !history.kinds.includes(finding.kind)) history.kinds.push(finding.kind);
  }
  summary.streams = [...streams.values()].sort(
    (a, b) => worstKind(b) - worstKind(a) || b.peakLive - a.peakLive || a.stream - b.stream,
  );
  summary.findings = findings.sort(
    (a, b) => KIND_SEVERITY[b.kind] - KIND_SEVERITY[a.kind] || b.live - a.live || a.time - b.time,
  );
  if (!Number.isFinite(summary.from)) summary.from = summary.to = 0;
  return summary;
}

function addPoint(streams: Map<number, StreamHistory>, raw: unknown, time: number): void {
  if (raw === null || typeof raw !== 'object') return;
  const row = raw as Record<string, unknown>;
  const id = numberOf(row.stream);
  if (id <= 0) return;
  let history = streams.get(id);
  if (history === undefined) {
    history = {
      stream: id,
      label: stringOf(row.label),
      site: stringOf(row.site),
      points: [],
      peakLive: 0,
      lastLive: 0,
      lastBacklog: 0,
      closed: false,
      kinds: [],
    };
    streams.set(id, history);
  }
  const live = numberOf(row.live);
  history.points.push([time, live]);
  history.peakLive = Math.max(history.peakLive, live);
  history.lastLive = live;
  history.lastBacklog = numberOf(row.queued);
  history.closed = row.closed === true;
}

function findingOf(line: RunLine, time: number): FindingEntry {
  const kind = (stringOf(line.kind) in KIND_SEVERITY ? line.kind : 'slow') as FindingKind;
  const refs = [...arrayOf(line.sharedWith), ...arrayOf(line.holders)].map((raw) => {
    const ref = (raw ?? {}) as Record<string, unknown>;
    const count = ref.count === undefined ? '' : ` x${numberOf(ref.count)}`;
    return `#${numberOf(ref.stream)} (${stringOf(ref.label)})${count} at ${stringOf(ref.site)}`;
  });
  return {
    time,
    kind,
    stream: numberOf(line.stream),
    label: stringOf(line.label),
    message: stringOf(line.message),
    live: numberOf(line.live),
    site: stringOf(line.site),
    stack: arrayOf(line.stack).map(stringOf),
    related: refs,
  };
}

function worstKind(history: StreamHistory): number {
  return Math.max(0, ...history.kinds.map((kind) => KIND_SEVERITY[kind]));
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
