import { getHeapStatistics } from 'node:v8';
import type { Snapshot } from '../shared/snapshot';
import type { ScanResult } from './scan';
import type { Log } from '../shared/log';
import type { BatchMessage, ExitMessage } from '../shared/protocol';
import type { Settings } from '../shared/settings';
import { EXIT_SLOT_ACK, EXIT_SLOT_KINDS, kindsToMask } from '../shared/protocol';
import { Engine } from './engine';
import { Outputs } from './outputs';
import { Reporter } from './reporter';
import { scan } from './scan';
import { emptyView } from './slot-walk';
import { SiteResolver } from './site';

/**
 * The pinning worker's state and schedule: batches are applied as they arrive, and the
 * scan runs on its own timer so a quiet process still gets its findings.
 */
export class PinningWorker {
  readonly engine: Engine;
  readonly sites: SiteResolver;
  readonly reporter: Reporter;
  readonly outputs: Outputs;
  #settings: Settings;
  readonly #log: Log;
  #timer: NodeJS.Timeout | null = null;
  #appliedSeq = 0;
  #waiters: Array<{ seq: number; resolve: () => void }> = [];
  #isScanning = false;

  constructor(settings: Settings, log: Log) {
    this.#settings = settings;
    this.#log = log;
    this.engine = new Engine(settings.pinLimit);
    this.sites = new SiteResolver(settings.ignoreSitePaths, settings.cwd);
    this.reporter = new Reporter(log, settings.reportFile, this.sites);
    this.outputs = new Outputs(log, this);
  }

  get settings(): Settings {
    return this.#settings;
  }

  start(): void {
    this.#schedule();
    void this.outputs.applySettings();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  applyBatch(message: BatchMessage, now = Date.now()): void {
    if (!(message.buffer instanceof ArrayBuffer) || !Array.isArray(message.strings)) {
      this.engine.anomalies.rejected++;
      return;
    }
    const view = new Int32Array(message.buffer);
    const length = Number.isInteger(message.length) ? message.length : 0;
    this.engine.applyRecords(view, Math.max(0, length), message.strings, now);
    this.engine.countDropped(message.dropped);
    if (this.engine.evictions.length > 0) this.#reportEvictions();
    if (Number.isInteger(message.seq) && message.seq > this.#appliedSeq) {
      this.#appliedSeq = message.seq;
    }
    this.#wakeWaiters();
  }

  /** Resolves once the batch numbered `seq` has been applied. */
  waitForSeq(seq: number): Promise<void> {
    if (seq <= this.#appliedSeq) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }

  scanNow(final = false, now = Date.now()): ScanResult {
    const result = scan(this.engine, this.#settings, this.sites, now);
    const fresh = this.reporter.scanned(result, this.engine, final);
    this.outputs.scanned(result, fresh);
    return result;
  }

  /** Maps creation sites behind large source maps (off this loop), then scans. */
  async scanWithSites(): Promise<ScanResult> {
    await this.prepareSites();
    return this.scanNow(false);
  }

  /** Has every stream's creation stack mapped before a report or snapshot prints it. */
  prepareSites(): Promise<void> {
    return this.sites.prepare([...this.engine.streams.values()].map((entry) => entry.stack));
  }

  /** What a scan would find now, changing nothing (for snapshots and scrapes). */
  previewScan(now = Date.now()): ScanResult {
    return scan(this.engine, this.#settings, this.sites, now, false);
  }

  snapshot(now = Date.now()): Snapshot {
    const result = this.previewScan(now);
    return {
      time: new Date().toISOString(),
      appliedSeq: this.#appliedSeq,
      recordsApplied: this.engine.recordsApplied,
      streams: [...this.engine.finishedStreams().map(emptyView), ...result.views].map((view) => ({
        stream: view.entry.id,
        label: view.entry.label,
        site: this.sites.site(this.sites.frames(view.entry.stack)),
        delivered: view.entry.delivered,
        queued: view.entry.queued,
        held: view.confirmedHeld * view.entry.sampleEvery,
        live: view.live,
        closed: view.entry.closedAt !== 0,
        closedBy: view.entry.closedAt === 0 ? null : view.entry.closedByGc ? 'gc' : 'explicit',
      })),
      findings: result.findings,
      labels: result.labels,
      pinnedKeys: result.pinnedKeys,
      pinLimit: result.pinLimit,
      evicted: result.evictedTotal,
      awaitingGc: result.awaitingGc,
      anomalies: { ...this.engine.anomalies, dropped: [...this.engine.anomalies.dropped] },
      agent: {
        heapUsedBytes: getHeapStatistics().used_heap_size,
        streamsTracked: this.engine.streams.size,
        slotCapacity: this.engine.slots.state.length,
        recordsApplied: this.engine.recordsApplied,
      },
    };
  }

  configure(changes: Partial<Settings>): void {
    this.#settings = { ...this.#settings, ...changes };
    this.engine.keys.limit = this.#settings.pinLimit;
    this.#log.setLevel(this.#settings.logLevel);
    this.reporter.setFile(this.#settings.reportFile);
    this.sites.configure(this.#settings.ignoreSitePaths, this.#settings.cwd);
    void this.outputs.applySettings();
    if (this.#timer !== null) this.#schedule();
  }

  /** The host is exiting: apply nothing more, say everything, then let it go. */
  exit(message: ExitMessage): void {
    try {
      this.stop();
      const { findings } = this.scanNow(true);
      // The host's PINWATCH_FAIL_ON test mode reads the kinds found from the second slot.
      if (message.ack.length > EXIT_SLOT_KINDS) {
        Atomics.store(message.ack, EXIT_SLOT_KINDS, kindsToMask(findings.map((f) => f.kind)));
      }
    } finally {
      Atomics.store(message.ack, EXIT_SLOT_ACK, 1);
      Atomics.notify(message.ack, EXIT_SLOT_ACK);
    }
  }

  #schedule(): void {
    this.stop();
    this.#timer = setInterval(() => this.#onTimer(), this.#settings.intervalMs);
  }

  #onTimer(): void {
    // A scan waiting for the symbolication pool is not overtaken by the next tick.
    if (this.#isScanning) return;
    this.#isScanning = true;
    this.scanWithSites()
      .catch((error: unknown) => this.#log.error('scan failed', { error }))
      .finally(() => (this.#isScanning = false));
  }

  #reportEvictions(): void {
    const fresh = this.engine.evictions.filter((eviction) => !reported.has(eviction));
    for (const eviction of fresh) reported.add(eviction);
    this.reporter.evicted(fresh, this.engine);
  }

  #wakeWaiters(): void {
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((waiter) => waiter.seq <= this.#appliedSeq);
    this.#waiters = this.#waiters.filter((waiter) => waiter.seq > this.#appliedSeq);
    for (const waiter of ready) waiter.resolve();
  }
}

/** Evictions already said; entries go when the scan clears the engine's list. */
const reported = new WeakSet<object>();
