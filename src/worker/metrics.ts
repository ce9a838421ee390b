import { Counter, Gauge, Registry } from 'prom-client';
import type { Engine } from './engine';
import type { Finding } from '../shared/finding';
import type { ScanResult } from './scan';
import type { StreamView } from './stream-view';

/** Site and label series kept at most; the rest are summed under `other`. */
const MAX_GROUP_SERIES = 50;
const OTHER = 'other';

/** What one refresh of the metrics reads. */
export interface MetricsInput {
  result: ScanResult;
  engine: Engine;
  pinBudget: number;
  topStreams: number;
  siteOf: (view: StreamView) => string;
}

/**
 * pinwatch's Prometheus metrics, in a registry of their own (never prom-client's global
 * one, which the host may use). Label cardinality is bounded: the `topStreams` streams
 * with the most live notifications get their own series, the others are summed per
 * creation site, and sites and labels past 50 are summed under `other`.
 */
export class PinwatchMetrics {
  readonly registry = new Registry();
  readonly #streamLive = this.#gauge(
    'stream_live_notifications',
    'Live notifications of a top stream',
    ['stream', 'label', 'site'],
  );
  readonly #streamBacklog = this.#gauge(
    'stream_backlog',
    'Delivered, not yet taken notifications of a top stream',
    ['stream', 'label', 'site'],
  );
  readonly #siteLive = this.#gauge(
    'site_live_notifications',
    'Live notifications of the other streams, per creation site',
    ['label', 'site'],
  );
  readonly #siteBacklog = this.#gauge(
    'site_backlog',
    'Backlog of the other streams, per creation site',
    ['label', 'site'],
  );
  readonly #siteStreams = this.#gauge('site_streams', 'Other streams per creation site', [
    'label',
    'site',
  ]);
  readonly #labelLive = this.#gauge('label_live_notifications', 'Live notifications per label', [
    'label',
  ]);
  readonly #labelBacklog = this.#gauge('label_backlog', 'Backlog per label', ['label']);
  readonly #labelOpen = this.#gauge('label_open_streams', 'Open streams per label', ['label']);
  readonly #streams = this.#gauge('streams', 'Streams in the table by state', ['state']);
  readonly #awaitingGc = this.#gauge(
    'awaiting_gc_streams',
    'Closed streams holding notifications until a full GC confirms it',
    [],
  );
  readonly #pinnedKeys = this.#gauge('pinned_keys', 'Keys pinned now', []);
  readonly #pinLimit = this.#gauge(
    'pin_limit',
    'Pinned keys before the least recently pinned is force-unpinned',
    [],
  );
  readonly #pinBudget = this.#gauge('pin_budget', 'Pinned keys the node allows this client', []);
  readonly #findings = this.#gauge('findings', 'Findings of the current state, by kind', ['kind']);
  readonly #evicted = this.#counter(
    'pins_evicted_total',
    'Keys force-unpinned by the pin limit',
    [],
  );
  readonly #dropped = this.#counter(
    'records_dropped_total',
    'Records the host dropped because the worker lagged',
    [],
  );
  readonly #reported = this.#counter(
    'findings_reported_total',
    'Findings said on stderr and in the report file, by kind',
    ['kind'],
  );

  /** Sets every gauge from `input`; called on each scrape, from a scan that commits nothing. */
  refresh(input: MetricsInput): void {
    const { result, engine } = input;
    for (const metric of [
      this.#streamLive,
      this.#streamBacklog,
      this.#siteLive,
      this.#siteBacklog,
      this.#siteStreams,
      this.#labelLive,
      this.#labelBacklog,
      this.#labelOpen,
      this.#findings,
    ]) {
      metric.reset();
    }
    const ranked = [...result.views].sort(
      (a, b) => b.live - a.live || b.entry.queued - a.entry.queued || a.entry.id - b.entry.id,
    );
    const sites = new Set<string>();
    ranked.forEach((view, rank) => {
      const site = input.siteOf(view);
      if (rank < input.topStreams && (view.live > 0 || view.entry.closedAt === 0)) {
        const labels = { stream: String(view.entry.id), label: view.entry.label, site };
        this.#streamLive.set(labels, view.live);
        this.#streamBacklog.set(labels, view.entry.queued);
        return;
      }
      const grouped = { label: view.entry.label, site: capped(sites, site) };
      this.#siteLive.inc(grouped, view.live);
      this.#siteBacklog.inc(grouped, view.entry.queued);
      this.#siteStreams.inc(grouped, 1);
    });
    const labels = new Set<string>();
    for (const [name, totals] of Object.entries(result.labels)) {
      const label = { label: capped(labels, name) };
      this.#labelLive.inc(label, totals.live);
      this.#labelBacklog.inc(label, totals.queued);
      this.#labelOpen.inc(label, totals.open);
    }
    for (const [kind, count] of Object.entries(result.counts)) this.#findings.set({ kind }, count);
    this.#streams.set({ state: 'open' }, result.open);
    this.#streams.set({ state: 'closed' }, result.streams - result.open);
    this.#awaitingGc.set(result.awaitingGc);
    this.#pinnedKeys.set(result.pinnedKeys);
    this.#pinLimit.set(result.pinLimit);
    this.#pinBudget.set(input.pinBudget);
    setTotal(this.#evicted, result.evictedTotal);
    setTotal(this.#dropped, engine.anomalies.droppedTotal);
  }

  /** Counts findings as the reporter says them. */
  countReported(findings: Finding[]): void {
    for (const finding of findings) this.#reported.inc({ kind: finding.kind });
  }

  #gauge(name: string, help: string, labelNames: string[]): Gauge {
    return new Gauge({ name: `pinwatch_${name}`, help, labelNames, registers: [this.registry] });
  }

  #counter(name: string, help: string, labelNames: string[]): Counter {
    return new Counter({ name: `pinwatch_${name}`, help, labelNames, registers: [this.registry] });
  }
}

/** `value`, or `other` once `seen` holds the most series allowed. */
function capped(seen: Set<string>, value: string): string {
  if (seen.has(value)) return value;
  if (seen.size >= MAX_GROUP_SERIES) return OTHER;
  seen.add(value);
  return value;
}

/** Counters the engine keeps as running totals: prom-client counts up only by increments. */
function setTotal(counter: Counter, total: number): void {
  counter.reset();
  counter.inc(Math.max(0, total));
}
