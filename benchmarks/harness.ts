import type { Spread } from './stats';
import { spreadOf } from './stats';

/** Per round, `numerator`'s cost over `denominator`'s: how many times one costs the other. */
export function roundRatio(numerator: VariantResult, denominator: VariantResult): Spread {
  return spreadOf(numerator.perRound.map((ns, round) => ns / denominator.perRound[round]));
}

/**
 * One contender in a side-by-side comparison. `run(n)` is the timed part and does `n` units
 * of work (notifications delivered, records written); when it returns a number, that is
 * the time it measured itself in ns (it paused its clock for catch-up work, see
 * `runInChunks`). `prepare` and `finish` run around each slice, untimed.
 */
export interface Variant {
  name: string;
  prepare?(): void | Promise<void>;
  run(n: number): void | number | Promise<void | number>;
  finish?(): void | Promise<void>;
}

/**
 * Runs `n` units as chunks of `chunk`, timing only the chunks: `between` runs after each
 * one with the clock stopped. Returns the timed ns, for a Variant's `run`.
 */
export async function runInChunks(
  n: number,
  chunk: number,
  work: (units: number) => void | Promise<void>,
  between: () => void | Promise<void>,
): Promise<number> {
  let timed = 0;
  for (let done = 0; done < n; done += chunk) {
    const units = Math.min(chunk, n - done);
    const start = nowNs();
    await work(units);
    timed += nowNs() - start;
    await between();
  }
  return timed;
}

export interface CompareOptions {
  rounds: number;
  /** Slices of each variant per round, interleaved in rotating order. */
  slicesPerRound: number;
  /** Wall time one slice aims for, after calibration. */
  sliceMs: number;
}

/** A variant's figures over the rounds; ratio and added are against the first variant. */
export interface VariantResult {
  name: string;
  nsPerUnit: Spread;
  ratio: Spread;
  addedNs: Spread;
  /** Units per slice after calibration. */
  unitsPerSlice: number;
  /** ns per unit in each round, to relate two variants round by round. */
  perRound: number[];
}

/** Calls global.gc(); the suite runs with --expose-gc, and a missing gc is said once. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('benchmarks need --expose-gc (npm run bench passes it)');
  gc();
}

export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function timeSlice(variant: Variant, units: number): Promise<number> {
  await variant.prepare?.();
  collectGarbage();
  const start = nowNs();
  const measured = await variant.run(units);
  const elapsed = nowNs() - start;
  await variant.finish?.();
  return typeof measured === 'number' ? measured : elapsed;
}

/**
 * Finds how many units make a slice of about `sliceMs`: a few warm-up slices so the JIT
 * has settled, doublings until a slice is long enough to time, then a scale.
 */
async function calibrate(variant: Variant, sliceMs: number): Promise<number> {
  const targetNs = sliceMs * 1e6;
  let units = 1024;
  for (let warmup = 0; warmup < 3; warmup++) await timeSlice(variant, units);
  let elapsed = await timeSlice(variant, units);
  while (elapsed < targetNs / 4 && units < 1 << 30) {
    units *= 2;
    elapsed = await timeSlice(variant, units);
  }
  return Math.max(1, Math.round((units * targetNs) / Math.max(elapsed, 1)));
}

/**
 * Runs the variants side by side in one process: each round runs every variant in
 * `slicesPerRound` slices, in an order that rotates from slice to slice, with a full GC
 * before each slice. A variant's cost in a round is its total time over its total units,
 * and its ratio is taken against the first variant in that same round, so a machine that
 * slows down mid-run moves both sides of the ratio together.
 */
export async function compareVariants(
  variants: readonly Variant[],
  options: CompareOptions,
): Promise<VariantResult[]> {
  const units: number[] = [];
  for (const variant of variants) units.push(await calibrate(variant, options.sliceMs));
  const perRound: number[][] = variants.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const totals = variants.map(() => 0);
    for (let slice = 0; slice < options.slicesPerRound; slice++) {
      const shift = (round * options.slicesPerRound + slice) % variants.length;
      for (let k = 0; k < variants.length; k++) {
        const index = (k + shift) % variants.length;
        totals[index] += await timeSlice(variants[index], units[index]);
      }
    }
    totals.forEach((total, index) => {
      perRound[index].push(total / (units[index] * options.slicesPerRound));
    });
  }
  const baseline = perRound[0];
  return variants.map((variant, index) => ({
    name: variant.name,
    nsPerUnit: spreadOf(perRound[index]),
    ratio: spreadOf(perRound[index].map((ns, round) => ns / baseline[round])),
    addedNs: spreadOf(perRound[index].map((ns, round) => ns - baseline[round])),
    unitsPerSlice: units[index],
    perRound: perRound[index],
  }));
}
