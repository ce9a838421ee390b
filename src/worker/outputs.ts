import type { Engine } from './engine';
import type { Finding } from '../shared/finding';
import type { Log } from '../shared/log';
import type { Reporter } from './reporter';
import type { ScanResult } from './scan';
import type { Settings } from '../shared/settings';
import type { SiteResolver } from './site';
import type { StreamView } from './stream-view';
import { MetricsServer } from './metrics-server';
import { PinwatchMetrics } from './metrics';
import { PinBudget } from './pin-budget';

/** What the outputs read from the pinning worker. */
export interface OutputSource {
  readonly engine: Engine;
  readonly sites: SiteResolver;
  readonly reporter: Reporter;
  readonly settings: Settings;
  /** A scan of the current state that changes nothing (no history, no clean-up). */
  previewScan(): ScanResult;
}

/**
 * The outputs besides stderr and the report file's findings: the pin budget warning and
 * the Prometheus endpoint. They hang off the scan and never touch the engine's tables.
 */
export class Outputs {
  readonly metrics = new PinwatchMetrics();
  readonly #budget = new PinBudget();
  readonly #server: MetricsServer;
  readonly #source: OutputSource;
  #listeningOn = '';

  constructor(log: Log, source: OutputSource) {
    this.#source = source;
    this.#server = new MetricsServer(log, () => this.#scrape());
  }

  /** The pin budget in force: the setting, or the pin limit when it is 0. */
  get pinBudget(): number {
    const { pinBudget, pinLimit } = this.#source.settings;
    return pinBudget > 0 ? pinBudget : pinLimit;
  }

  /** The port the metrics endpoint listens on, 0 when off. */
  get metricsPort(): number {
    return this.#server.port;
  }

  /** Starts, moves or stops the metrics endpoint to match the settings. */
  async applySettings(): Promise<void> {
    const { metricsPort, metricsHost } = this.#source.settings;
    const wanted = metricsPort > 0 ? `${metricsHost}:${metricsPort}` : '';
    if (wanted === this.#listeningOn) return;
    this.#listeningOn = wanted;
    if (wanted === '') this.#server.close();
    else await this.#server.listen(metricsPort, metricsHost);
  }

  /** After each committed scan: count what was said and check the pin budget. */
  scanned(result: ScanResult, fresh: Finding[]): void {
    this.metrics.countReported(fresh);
    const warning = this.#budget.observe(
      result,
      this.pinBudget,
      this.#source.settings.budgetWarnPercent,
      (view) => this.#siteOf(view),
    );
    if (warning !== null) this.#source.reporter.budget(warning);
  }

  close(): void {
    this.#listeningOn = '';
    this.#server.close();
  }

  async #scrape(): Promise<{ contentType: string; body: string }> {
    const source = this.#source;
    await source.sites.prepare([...source.engine.streams.values()].map((entry) => entry.stack));
    this.metrics.refresh({
      result: source.previewScan(),
      engine: source.engine,
      pinBudget: this.pinBudget,
      topStreams: source.settings.metricsTopStreams,
      siteOf: (view) => this.#siteOf(view),
    });
    return {
      contentType: this.metrics.registry.contentType,
      body: await this.metrics.registry.metrics(),
    };
  }

  #siteOf(view: StreamView): string {
    const sites = this.#source.sites;
    return sites.site(sites.frames(view.entry.stack));
  }
}
