import { UserFacingError } from '@recsys-actions/core';
import { MAX_DISTINCT_FOR_COUNT_TESTS } from '../options';
import { DEFAULT_SKETCH_K, QuantileSketch, type WeightedPoints } from './quantile-sketch';

/**
 * A numeric column too large to keep whole: its distribution as a {@link QuantileSketch} (or, written by a
 * warehouse, as evenly spaced quantiles), with count, missing, min, max, sum and the sum of squared deviations
 * kept exact, and the exact count of each distinct value while there are at most
 * {@link MAX_DISTINCT_FOR_COUNT_TESTS} of them (so low-cardinality columns stay exact for every method).
 */
export interface NumericSketch {
  readonly count: number;
  readonly missing: number;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  /** Σ (x − mean)², for the standard deviation Wasserstein is normed by. */
  readonly m2: number;
  readonly quantiles: QuantileSketch | QuantileList;
  /** Exact count of each distinct value, while there are at most MAX_DISTINCT_FOR_COUNT_TESTS. */
  readonly distinct?: ReadonlyMap<number, number>;
}

/** m quantiles at probabilities 0, 1/(m−1), …, 1 (as SQL's PERCENTILE_CONT or APPROX_QUANTILES give them). */
export interface QuantileList {
  readonly kind: 'quantile-list';
  readonly values: Float64Array;
  /** The rank error of the quantiles themselves (0 when computed exactly). */
  readonly epsilon: number;
}

/** A column's distribution as a weighted step CDF with the most its ranks can be off, in values. */
export interface Distribution {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly std: number;
  readonly points: WeightedPoints;
  readonly rankError: number;
  /** True when the points are the exact distinct values with their counts. */
  readonly exact: boolean;
}

/** Sketches a sorted run of finite values; `missing` counts the NaN and ±∞ left out. */
export function sketchSorted(sorted: Float64Array, missing: number, k = DEFAULT_SKETCH_K): NumericSketch {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i] as number;
  const mean = sorted.length === 0 ? 0 : sum / sorted.length;
  let m2 = 0;
  for (let i = 0; i < sorted.length; i++) m2 += ((sorted[i] as number) - mean) ** 2;
  // Sorted, each value is one run (-0 and +0 together, one Map key): one count per run, not per value.
  const distinct = new Map<number, number>();
  for (let i = 0, end = 0; i < sorted.length && distinct.size <= MAX_DISTINCT_FOR_COUNT_TESTS; i = end) {
    const value = sorted[i] as number;
    while (end < sorted.length && sorted[end] === value) end++;
    distinct.set(value, (distinct.get(value) ?? 0) + end - i);
  }
  const few = distinct.size <= MAX_DISTINCT_FOR_COUNT_TESTS;
  const quantiles = few ? sketchOfCounts(distinct, k) : new QuantileSketch(k);
  if (!few) quantiles.addMany(sorted);
  return {
    count: sorted.length,
    missing,
    min: sorted.length === 0 ? Infinity : (sorted[0] as number),
    max: sorted.length === 0 ? -Infinity : (sorted[sorted.length - 1] as number),
    sum,
    m2,
    quantiles,
    ...(few ? { distinct } : {}),
  };
}

/** A sketch holding exact counts of values: no compaction error (see {@link QuantileSketch.addWeighted}). */
export function sketchOfCounts(counts: ReadonlyMap<number, number>, k = DEFAULT_SKETCH_K): QuantileSketch {
  const sketch = new QuantileSketch(k);
  for (const [value, count] of counts) sketch.addWeighted(value, count);
  return sketch;
}

type ExactParts = { -readonly [K in keyof Omit<NumericSketch, 'quantiles' | 'distinct'>]: number } & {
  distinct: Map<number, number> | undefined;
};

/**
 * The sketch of all the columns' values: exact parts add (Chan's update for m2), the quantile sketches merge into
 * one new sketch, each shard's items appended once (merging many shards costs their sizes, not shards × size).
 */
export function mergeNumericSketches(sketches: readonly NumericSketch[], column: string): NumericSketch {
  const merger = new NumericSketchMerger(column);
  for (const sketch of sketches) merger.add(sketch);
  return merger.result();
}

/**
 * {@link mergeNumericSketches} one sketch at a time, so shards can be merged as they are read. The exact parts and
 * distinct counts accumulate in place, for the same reason the quantile sketch does.
 */
export class NumericSketchMerger {
  private quantiles: QuantileSketch | undefined;
  private readonly merged: ExactParts = {
    count: 0,
    missing: 0,
    min: Infinity,
    max: -Infinity,
    sum: 0,
    m2: 0,
    distinct: new Map(),
  };

  constructor(private readonly column: string) {}

  add(sketch: NumericSketch): void {
    if (!(sketch.quantiles instanceof QuantileSketch)) {
      throw new UserFacingError(
        `Column '${this.column}': a profile written as a quantile list cannot be merged with another; write one profile per side from SQL, or write sketches.`,
      );
    }
    this.quantiles ??= new QuantileSketch(sketch.quantiles.k);
    this.quantiles.merge(sketch.quantiles);
    addExactParts(this.merged, sketch);
  }

  result(): NumericSketch {
    const { distinct, ...exact } = this.merged;
    const quantiles = this.quantiles ?? new QuantileSketch();
    return { ...exact, quantiles, ...(distinct === undefined ? {} : { distinct }) };
  }
}

function addExactParts(a: ExactParts, b: Omit<NumericSketch, 'quantiles'>): void {
  const count = a.count + b.count;
  const delta = b.count === 0 || a.count === 0 ? 0 : b.sum / b.count - a.sum / a.count;
  a.m2 = a.m2 + b.m2 + (count === 0 ? 0 : (delta * delta * a.count * b.count) / count);
  a.count = count;
  a.missing += b.missing;
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
  a.sum += b.sum;
  a.distinct = addDistinct(a.distinct, b.distinct);
}

/** Adds b's counts into a; undefined (too many to count) once either is, or the union passes the limit. */
function addDistinct(
  a: Map<number, number> | undefined,
  b: ReadonlyMap<number, number> | undefined,
): Map<number, number> | undefined {
  if (a === undefined || b === undefined) return undefined;
  for (const [value, count] of b) a.set(value, (a.get(value) ?? 0) + count);
  return a.size <= MAX_DISTINCT_FOR_COUNT_TESTS ? a : undefined;
}

/** The column's distribution: exact from the distinct counts when kept, else the sketch's or the quantiles'. */
export function distributionOf(sketch: NumericSketch): Distribution {
  const std = sketch.count === 0 ? 0 : Math.sqrt(sketch.m2 / sketch.count);
  const base = { count: sketch.count, min: sketch.min, max: sketch.max, std };
  if (sketch.distinct !== undefined) {
    return { ...base, points: pointsOfCounts(sketch.distinct), rankError: 0, exact: true };
  }
  if (sketch.quantiles instanceof QuantileSketch) {
    return {
      ...base,
      points: sketch.quantiles.points(),
      rankError: sketch.quantiles.rankErrorBound,
      exact: false,
    };
  }
  const { values, epsilon } = sketch.quantiles;
  const steps = values.length - 1;
  // F(x) = i/steps between the i-th and the next quantile: off by at most one step, plus the quantiles' own ε.
  const cumulative = values.map((_, i) => (i === 0 ? 0 : (i / steps) * sketch.count));
  return {
    ...base,
    points: { values, cumulative },
    rankError: sketch.count * (1 / steps + epsilon),
    exact: false,
  };
}

/** Distinct values with their counts, as a weighted step CDF. */
export function pointsOfCounts(counts: ReadonlyMap<number, number>): WeightedPoints {
  const values = Float64Array.from(counts.keys()).sort();
  const cumulative = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += counts.get(values[i] as number) as number;
    cumulative[i] = total;
  }
  return { values, cumulative };
}
