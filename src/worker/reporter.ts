import type { Engine, Eviction } from './engine';
import type { Finding } from '../shared/finding';
import type { BudgetWarning } from './pin-budget';
import type { ScanResult } from './scan';
import type { SiteResolver } from './site';
import type { Log } from '../shared/log';
import { SCHEMA_VERSION } from '../shared/finding';
import { ReportFile } from './report-file';
import { formatBudget, summaryFields } from './report-format';
import { MAX_FILE_FINDINGS, formatFindingGroups } from './finding-groups';
import { refOf } from './finding-builder';

/** How much a finding must grow before it is said again. */
const WORSEN_FACTOR = 2;
/** Streams listed per scan line in the report file, the most live first. */
const STREAMS_PER_SCAN_LINE = 50;

/**
 * Says findings where people look: readable blocks on stderr, worst first, and, when
 * configured, JSON lines in the report file (schema in the README). A finding is said
 * once, then again only when it has doubled, so a long run is not flooded.
 */
export class Reporter {
  readonly #log: Log;
  readonly #file: ReportFile;
  readonly #said = new Map<string, number>();
  readonly #sites: SiteResolver;

  constructor(log: Log, reportFile: string, sites: SiteResolver) {
    this.#log = log;
    this.#file = new ReportFile(log, reportFile);
    this.#sites = sites;
  }

  setFile(reportFile: string): void {
    this.#file.setPath(reportFile);
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

    const said = final ? result.findings : fresh;
    if (said.length > 0) this.#log.block(formatFindingGroups(said));
    this.#log.info(final ? 'final report' : 'scan', summaryFields(result, engine));
    for (const finding of fresh.slice(0, MAX_FILE_FINDINGS)) {
      this.#file.append({ type: 'finding', ...finding });
    }
    const omitted = Math.max(0, fresh.length - MAX_FILE_FINDINGS);
    this.#file.append({ ...this.#scanLine(result, engine, final), omittedFindings: omitted });
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
      this.#file.append({
        type: 'eviction',
        v: SCHEMA_VERSION,
        time: new Date().toISOString(),
        key: eviction.key,
        refs: eviction.refs,
        holders,
      });
    }
  }

  /** Warns that the pinned keys approach the node's budget. */
  budget(warning: BudgetWarning): void {
    this.#log.block(formatBudget(warning));
    this.#file.append({ type: 'budget', ...warning });
  }

  #scanLine(result: ScanResult, engine: Engine, final: boolean) {
    const sites = this.#sites;
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
}

function identity(finding: Finding): string {
  if (finding.kind === 'shared') {
    return `shared:${(finding.sharedWith ?? []).map((ref) => ref.stream).join(',')}`;
  }
  return `${finding.kind}:${finding.stream}`;
}
