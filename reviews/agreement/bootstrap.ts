import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/** A percentile bootstrap interval. */
export interface Interval {
  readonly low: number;
  readonly high: number;
  /** Coverage, e.g. 0.95. */
  readonly level: number;
  /** Resamples on which the statistic was defined (the others are left out). */
  readonly samples: number;
}

/** How to bootstrap: resamples and the seed that makes them repeatable. */
export interface BootstrapOptions {
  /** Resamples (default 1000). */
  readonly samples?: number;
  /** Seed of the generator (default 0): the same seed and data give the same interval. */
  readonly seed?: number;
  /** Coverage (default 0.95). */
  readonly level?: number;
}

/** Default number of resamples. */
export const BOOTSTRAP_SAMPLES = 1000;

/**
 * A percentile bootstrap interval of `statistic` over `units`: the units are
 * resampled with replacement (units, not single ratings, since a unit's ratings
 * belong together), the statistic is computed on each resample, and the
 * interval is cut from the sorted results. Deterministic for a seed. Null with
 * fewer than two units or when the statistic is undefined on nearly every
 * resample (fewer than half).
 */
export function bootstrapInterval<T>(
  units: readonly T[],
  statistic: (sample: readonly T[]) => number | null,
  options: BootstrapOptions = {},
): Interval | null {
  const count = options.samples ?? BOOTSTRAP_SAMPLES;
  const level = options.level ?? 0.95;
  if (units.length < 2 || count < 1) return null;
  const rng = xoroshiro128plus(options.seed ?? 0);
  const values: number[] = [];
  const sample = new Array<T>(units.length);
  for (let s = 0; s < count; s += 1) {
    for (let i = 0; i < units.length; i += 1) sample[i] = units[uniformInt(rng, 0, units.length - 1)]!;
    const value = statistic(sample);
    if (value !== null && Number.isFinite(value)) values.push(value);
  }
  if (values.length * 2 < count) return null;
  values.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { low: quantile(values, tail), high: quantile(values, 1 - tail), level, samples: values.length };
}

/** The q-quantile of sorted values, interpolating between neighbours (type 7, as numpy and R default). */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
