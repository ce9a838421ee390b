/** A figure over repeats: the median and the spread, in one unit. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many repeats it was taken over. */
  repeats: number;
}

/** Median and [min-max] of the values; NaN figures for an empty list. */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, repeats: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], repeats: sorted.length };
}

/** Value at quantile `q` (0..1) of an unsorted list, nearest rank. */
export function quantileOf(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** A number with about three significant digits, for tables. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** `median [min-max]`, or just the value when it was taken once. */
export function formatSpread(spread: Spread): string {
  if (spread.repeats === 0) return '-';
  if (spread.repeats === 1) return formatNumber(spread.median);
  const range = `${formatNumber(spread.min)}-${formatNumber(spread.max)}`;
  return `${formatNumber(spread.median)} [${range}]`;
}
