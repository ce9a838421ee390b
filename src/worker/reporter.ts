import { appendFileSync } from 'node:fs';
import type { Engine, Eviction } from './engine';
import type { Finding } from '../shared/finding';
import type { ScanResult } from './scan';
import type { SiteResolver } from './site';
import type { Log } from '../shared/log';
import { SCHEMA_VERSION } from '../shared/finding';
import { refOf } from './scan';
import { formatMs } from './stream-view';

/** How much a finding must grow before it is said again. */
const WORSEN_FACTOR = 2;

/**
 * Says findings where people look: readable blocks on stderr and, when configured, JSON
 * lines appended to a file (one write per line, so a crash leaves earlier lines whole).
 * A finding is said once, then again only when it has doubled.
 */
export class Reporter {
  readonly #log: Log;
  #file: string;
  readonly #said = new Map<string, number>();
  #fileBroken = false;
  readonly #sites: SiteResolver;

  constructor(log: Log, reportFile: string, sites: SiteResolver) {
    this.#log = log;
    this.#file = reportFile;
    this.#sites = sites;
  }

  setFile(reportFile: string): void {
    this.#file = reportFile;
    this.#fileBroken = false;
  }

  /** Reports what is new or worse in this scan, and the summary line. */
  scanned(result: ScanResult, engine: Engine, final: boolean): Finding[] {
    const seen = new Set<string>();
    const fresh: Finding[] = [];
    for (const finding of result.findings) {
      const id = identity(finding);
      seen.add(id);
      const measure = finding.kind === 'pin-limit' ? (finding.evicted ?? 0) : finding.live;
      const last = this.#said.get(id);
      if (last !== undefined && measure < last * WORSEN_FACTOR && !final) continue;
      this.#said.set(id, Math.max(measure, 1));
      fresh.push(finding);
    }
    // Resolved findings are forgotten, so a relapse is said again.
    for (const id of this.#said.keys()) if (!seen.has(id)) this.#said.delete(id);

    const blocks = (final ? result.findings : fresh).map(formatFinding);
    if (blocks.length > 0) this.#log.block(blocks.join('\n'));
    this.#log.info(final ? 'final report' : 'scan', summaryFields(result, engine));
    for (const finding of fresh) this.#append({ type: 'finding', ...finding });
    this.#append(scanLine(result, engine, this.#sites, final));
    return fresh;
  }

  /** Says each force-unpin with its holders as it happens. */
  evicted(evictions: Eviction[], engine: Engine): void {
    const sites = this.#sites;
    for (const eviction of evictions) {
      const holders = [...eviction.holders]
        .sort((a, b) => b[1] - a[1])
        .map(([id, count]) => ({ ...refOf(engine, id, sites), count }));
      const names = holders.map((h) => `#${h.stream} ${h.label} x${h.count} at ${h.site}`);
      this.#log.warn('pin limit reached, key force-unpinned', {
        key: eviction.key,
        refs: eviction.refs,
        limit: engine.keys.limit,
        holders: names.join('; ') || 'none',
      });
      this.#append({
        type: 'eviction',
        v: SCHEMA_VERSION,
        time: new Date().toISOString(),
        key: eviction.key,
        refs: eviction.refs,
        holders,
      });
    }
  }

  #append(record: object): void {
    if (this.#file === '' || this.#fileBroken) return;
    try {
      appendFileSync(this.#file, `${JSON.stringify(record)}\n`);
    } catch (error) {
      this.#fileBroken = true;
      this.#log.error('report file unwritable, JSON lines stop', { file: this.#file, error });
    }
  }
}

function identity(finding: Finding): string {
  if (finding.kind === 'shared') {
    return `shared:${(finding.sharedWith ?? []).map((ref) => ref.stream).join(',')}`;
  }
  return `${finding.kind}:${finding.stream}`;
}

/** One readable block: the headline, the counts, the site and a short stack. */
export function formatFinding(finding: Finding): string {
  const lines: string[] = [];
  const who = finding.stream === 0 ? 'process' : `stream #${finding.stream} (${finding.label})`;
  lines.push(`pinwatch: ${finding.kind.toUpperCase()} ${who}: ${finding.message}`);
  if (finding.stream !== 0) {
    const state = finding.closed ? `closed (${finding.closedBy})` : 'open';
    const oldest = finding.oldestKey
      ? `, oldest ${formatMs(finding.oldestAgeMs)} (${finding.oldestKey})`
      : '';
    lines.push(
      `  live ${finding.live} (queued ${finding.queued}, held ${finding.held}), delivered ` +
        `${finding.delivered}, ${state}, age ${formatMs(finding.ageMs)}${oldest}`,
    );
    if (finding.collectedUnreleased > 0) {
      lines.push(`  ${finding.collectedUnreleased} were collected by GC without release()`);
    }
    if (finding.sampleEvery > 1) {
      lines.push(`  held counts are estimated from 1 in ${finding.sampleEvery} notifications`);
    }
    lines.push(`  created at ${finding.site}`);
    for (const frame of finding.stack.slice(0, 5)) lines.push(`    at ${frame}`);
  }
  for (const ref of finding.sharedWith ?? []) {
    lines.push(`  shares with #${ref.stream} (${ref.label}) created at ${ref.site}`);
  }
  for (const ref of finding.holders ?? []) {
    lines.push(`  holder #${ref.stream} (${ref.label}) pins ${ref.count} at ${ref.site}`);
  }
  return lines.join('\n');
}

function summaryFields(result: ScanResult, engine: Engine): Record<string, unknown> {
  const live = Object.entries(result.labels)
    .map(([label, totals]) => `${label}:${totals.live}`)
    .join(',');
  const kinds = Object.entries(result.counts)
    .map(([kind, count]) => `${kind}:${count}`)
    .join(',');
  return {
    streams: result.streams,
    open: result.open,
    live: live || 'none',
    pinned: `${result.pinnedKeys}/${result.pinLimit}`,
    awaitingGc: result.awaitingGc,
    dropped: engine.anomalies.droppedTotal,
    findings: kinds || 'none',
  };
}

/** Streams listed per scan line in the report file, the most live first. */
const STREAMS_PER_SCAN_LINE = 50;

function scanLine(result: ScanResult, engine: Engine, sites: SiteResolver, final: boolean) {
  const top = [...result.views]
    .filter((view) => view.live > 0 || view.entry.closedAt === 0)
    .sort((a, b) => b.live - a.live)
    .slice(0, STREAMS_PER_SCAN_LINE)
    .map((view) => ({
      stream: view.entry.id,
      label: view.entry.label,
      site: sites.site(sites.frames(view.entry.stack)),
      live: view.live,
      queued: view.entry.queued,
      held: view.confirmedHeld * view.entry.sampleEvery,
      closed: view.entry.closedAt !== 0,
    }));
  return {
    type: final ? 'final' : 'scan',
    v: SCHEMA_VERSION,
    time: new Date().toISOString(),
    streams: result.streams,
    open: result.open,
    awaitingGc: result.awaitingGc,
    liveNotifications: result.liveSlots,
    pinnedKeys: result.pinnedKeys,
    pinLimit: result.pinLimit,
    evicted: result.evictedTotal,
    dropped: engine.anomalies.droppedTotal,
    anomalies: { ...engine.anomalies, dropped: undefined },
    labels: result.labels,
    counts: result.counts,
    top,
  };
}
