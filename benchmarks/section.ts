import type { Spread } from './stats';

/** One line of a benchmark table. A row with no value says why in `note`. */
export interface Row {
  measure: string;
  unit: string;
  /** Null when the figure could not be taken (the reason is in `note`). */
  value: Spread | null;
  /** Against the baseline measured in the same round, median [min-max] over rounds. */
  ratio?: Spread;
  /** What the variant adds to the baseline, in `unit`, per round. */
  added?: Spread;
  /** The goal this figure is held to, in words. */
  goal?: string;
  /** Whether the median meets the goal; null when there is none or it was not measured. */
  met?: boolean | null;
  note?: string;
}

/** What one subject measured, how, and its rows. */
export interface Section {
  subject: string;
  title: string;
  /** How the figures were taken, in a sentence or two. */
  method: string;
  rows: Row[];
  notes: string[];
  /** Seconds the subject took, filled in by the runner. */
  seconds?: number;
  /** Set by the runner when the subject failed; its rows are then empty. */
  error?: string;
}

/** A row for a figure that could not be taken, with the reason. */
export function notMeasured(measure: string, unit: string, reason: string, goal?: string): Row {
  return { measure, unit, value: null, goal, met: null, note: `not measured: ${reason}` };
}

/** True when `spread`'s median is below `limit`; null when there is no figure. */
export function isBelow(spread: Spread | undefined | null, limit: number): boolean | null {
  if (!spread || !Number.isFinite(spread.median)) return null;
  return spread.median < limit;
}

/** True when `spread`'s median is above `limit`; null when there is no figure. */
export function isAbove(spread: Spread | undefined | null, limit: number): boolean | null {
  if (!spread || !Number.isFinite(spread.median)) return null;
  return spread.median > limit;
}
