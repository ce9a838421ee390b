import type { Settings } from '../../src/shared/settings';
import type { ScanResult } from '../../src/worker/scan';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { Engine } from '../../src/worker/engine';
import { scan } from '../../src/worker/scan';
import { SiteResolver } from '../../src/worker/site';
import { RecordBatch } from './record-batch';

/** An engine with small thresholds and a clock the test moves by hand. */
export class EngineHarness {
  readonly settings: Settings;
  readonly engine: Engine;
  readonly sites: SiteResolver;
  now = 1_000_000;

  constructor(overrides: Partial<Settings> = {}) {
    this.settings = {
      ...DEFAULT_SETTINGS,
      slowThreshold: 10,
      slowAgeMs: 5_000,
      heldThreshold: 10,
      heldAgeMs: 60_000,
      growingScans: 3,
      growingMin: 5,
      gcSettleMs: 100,
      closeGraceMs: 0,
      ...overrides,
    };
    this.engine = new Engine(this.settings.pinLimit);
    this.sites = new SiteResolver(this.settings.ignoreSitePaths, process.cwd());
  }

  /** Applies a batch built by `build` at the current time. */
  apply(build: (batch: RecordBatch) => void): void {
    const batch = new RecordBatch();
    build(batch);
    batch.applyTo(this.engine, this.now);
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** A major GC now, then enough time for its callbacks to have run. */
  settledGc(): void {
    this.apply((batch) => batch.majorGc());
    this.advance(this.settings.gcSettleMs + 1);
  }

  scan(): ScanResult {
    return scan(this.engine, this.settings, this.sites, this.now);
  }

  kindsOf(result: ScanResult, stream: number): string[] {
    return result.findings.filter((f) => f.stream === stream).map((f) => f.kind);
  }
}

/** Stream ids, string ids and a stack for the common case of one labelled stream. */
export function openStreams(harness: EngineHarness, ids: number[], label = 'finality'): void {
  harness.apply((batch) => {
    batch.defineString(1, label);
    batch.defineString(2, 'consume\t/app/src/consumer.js\t12\t5');
    for (const id of ids) batch.open(id, 1, 2);
  });
}
