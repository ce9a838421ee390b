import type { ScanResult } from './scan';
import type { StreamView } from './stream-view';
import { SCHEMA_VERSION } from '../shared/finding';

/** Scans whose pinned-key counts feed the growth estimate. */
const SAMPLES = 12;
/** Creation sites listed as the top holders. */
const TOP_HOLDERS = 5;
/** Stream ids named per holding site. */
const STREAMS_PER_HOLDER = 5;
/** After a warning, the next one waits until this share of the budget more is pinned. */
const REWARN_STEP = 0.05;

/** One creation site that holds pins, with the streams created there. */
export interface BudgetHolder {
  label: string;
  site: string;
  /** Live notifications of these streams that still pin a key. */
  pins: number;
  streams: number[];
}

/** The warning given before the node's pin budget runs out (a `budget` JSON line). */
export interface BudgetWarning {
  v: number;
  time: string;
  pinnedKeys: number;
  budget: number;
  warnPercent: number;
  /** Pinned keys gained per minute over the last scans (negative when falling). */
  growthPerMinute: number;
  /** Estimated time until the budget is used up; null when pins are not growing. */
  exhaustedInMs: number | null;
  holders: BudgetHolder[];
}

/**
 * Watches the pinned-key count against the budget a node allows (Substrate's LRU of 1024,
 * a chainHead follow's 512), so the user hears of a leak before the node stops the
 * subscription. Said when the count crosses the warning share, then again only for each
 * further 5% of the budget, and again after it fell back below.
 */
export class PinBudget {
  readonly #samples: Array<{ at: number; keys: number }> = [];
  #saidAtKeys: number | null = null;

  /** Feeds one committed scan; returns a warning when one is due. */
  observe(
    result: ScanResult,
    budget: number,
    warnPercent: number,
    siteOf: (view: StreamView) => string,
  ): BudgetWarning | null {
    this.#samples.push({ at: result.time, keys: result.pinnedKeys });
    if (this.#samples.length > SAMPLES) this.#samples.shift();
    const threshold = (budget * warnPercent) / 100;
    if (budget <= 0 || result.pinnedKeys < threshold) {
      this.#saidAtKeys = null;
      return null;
    }
    const step = Math.max(1, Math.ceil(budget * REWARN_STEP));
    if (this.#saidAtKeys !== null && result.pinnedKeys < this.#saidAtKeys + step) return null;
    this.#saidAtKeys = result.pinnedKeys;

    const perMs = slope(this.#samples);
    const left = budget - result.pinnedKeys;
    return {
      v: SCHEMA_VERSION,
      time: new Date(result.time).toISOString(),
      pinnedKeys: result.pinnedKeys,
      budget,
      warnPercent,
      growthPerMinute: Math.round(perMs * 60_000 * 10) / 10,
      exhaustedInMs: left <= 0 ? 0 : perMs > 0 ? Math.round(left / perMs) : null,
      holders: topHolders(result.views, siteOf),
    };
  }
}

/** Least-squares slope of keys over time, in keys per ms; 0 with fewer than two samples. */
function slope(samples: ReadonlyArray<{ at: number; keys: number }>): number {
  if (samples.length < 2) return 0;
  const meanAt = samples.reduce((sum, s) => sum + s.at, 0) / samples.length;
  const meanKeys = samples.reduce((sum, s) => sum + s.keys, 0) / samples.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.at - meanAt) * (sample.keys - meanKeys);
    variance += (sample.at - meanAt) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

function topHolders(views: StreamView[], siteOf: (view: StreamView) => string): BudgetHolder[] {
  const bySite = new Map<string, BudgetHolder>();
  for (const view of views) {
    if (view.pinnedSlots === 0) continue;
    const site = siteOf(view);
    const id = `${view.entry.label}\n${site}`;
    let holder = bySite.get(id);
    if (holder === undefined) {
      holder = { label: view.entry.label, site, pins: 0, streams: [] };
      bySite.set(id, holder);
    }
    holder.pins += view.pinnedSlots;
    if (holder.streams.length < STREAMS_PER_HOLDER) holder.streams.push(view.entry.id);
  }
  return [...bySite.values()].sort((a, b) => b.pins - a.pins).slice(0, TOP_HOLDERS);
}
