import { UserFacingError } from '@recsys-actions/core';
import { asSorted, type NumericSample } from './sample';

/** Numeric columns with more distinct reference values than this get a Sturges histogram; others a bin per value. */
export const MAX_DISTINCT_FOR_VALUE_BINS = 20;
const ZERO_SHARE_FLOOR = 1e-4;
const ZERO_SHARE_DIVISOR = 1e6;

export type BinLayout =
  /** Histogram edges, ascending; bin i is [edges[i], edges[i+1]), the last bin also closed on the right. */
  | { readonly kind: 'histogram'; readonly edges: Float64Array }
  /** One bin per distinct value of reference ∪ current, ascending. */
  | { readonly kind: 'values'; readonly values: Float64Array };

/** Reference and current shares per bin (zero shares replaced unless `fillZeroes: false`). */
export interface BinnedShares {
  readonly reference: Float64Array;
  readonly current: Float64Array;
  readonly layout: BinLayout;
}

/**
 * Replaces zero shares so the log-ratio distances stay finite, following Evidently's convention: with m the
 * smallest non-zero share of the same vector, zeros become m / 10^6 when m <= 10^-4, otherwise 10^-4.
 * Each vector is filled on its own and not renormalised.
 */
export function fillZeroShares(shares: Float64Array): Float64Array {
  let smallest = Infinity;
  for (const share of shares) if (share > 0 && share < smallest) smallest = share;
  const fill = smallest <= ZERO_SHARE_FLOOR ? smallest / ZERO_SHARE_DIVISOR : ZERO_SHARE_FLOOR;
  return shares.map((share) => (share === 0 ? fill : share));
}

function countDistinct(sorted: Float64Array, stopAbove: number): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length && distinct <= stopAbove; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/**
 * `numpy.histogram_bin_edges(data, bins='sturges')`: width = range / (log2(N) + 1), ⌈range / width⌉ equal bins
 * from min to max, edges computed as numpy's `linspace` does (start + i·step, the last edge exactly max).
 */
export function sturgesEdges(a: Float64Array, b: Float64Array): Float64Array {
  return sturgesEdgesOf(
    Math.min(a[0] ?? Infinity, b[0] ?? Infinity),
    Math.max(a[a.length - 1] ?? -Infinity, b[b.length - 1] ?? -Infinity),
    a.length + b.length,
  );
}

/** {@link sturgesEdges} from the data's extremes and size alone (what a sketched profile keeps exactly). */
export function sturgesEdgesOf(dataMin: number, dataMax: number, size: number): Float64Array {
  const width = (dataMax - dataMin) / (Math.log2(size) + 1);
  let first = dataMin;
  let last = dataMax;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const binCount = width > 0 ? Math.ceil((last - first) / width) : 1;
  const step = (last - first) / binCount;
  const edges = new Float64Array(binCount + 1);
  for (let i = 0; i < binCount; i++) edges[i] = i * step + first;
  edges[binCount] = last;
  return edges;
}

/** Index of the first element >= value (`side='left'`) or > value (`side='right'`) in a sorted array. */
function searchSorted(sorted: Float64Array, value: number, side: 'left' | 'right'): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (side === 'left' ? (sorted[mid] as number) < value : (sorted[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Counts per histogram bin, as `numpy.histogram(sorted, edges)` counts them, by binary search on each edge. */
export function histogramCounts(sorted: Float64Array, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length - 1);
  let previous = searchSorted(sorted, edges[0] as number, 'left');
  for (let i = 1; i < edges.length; i++) {
    const next = searchSorted(sorted, edges[i] as number, i === edges.length - 1 ? 'right' : 'left');
    counts[i - 1] = next - previous;
    previous = next;
  }
  return counts;
}

function histogramShares(sorted: Float64Array, edges: Float64Array): Float64Array {
  return histogramCounts(sorted, edges).map((count) => count / sorted.length);
}

/** The distinct values of two sorted samples, ascending. */
export function distinctUnion(a: Float64Array, b: Float64Array): Float64Array {
  const values: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const value = Math.min(a[i] ?? Infinity, b[j] ?? Infinity);
    values.push(value);
    while (a[i] === value) i++;
    while (b[j] === value) j++;
  }
  return Float64Array.from(values);
}

function valueShares(sorted: Float64Array, values: Float64Array): Float64Array {
  const shares = new Float64Array(values.length);
  let i = 0;
  for (let bin = 0; bin < values.length; bin++) {
    const start = i;
    while (sorted[i] === values[bin]) i++;
    shares[bin] = (i - start) / sorted.length;
  }
  return shares;
}

/**
 * Evidently's `feel_zeroes` switch of `get_binned_data`: PSI and KL fill zero shares (their logarithms need it),
 * Jensen-Shannon does not (`feel_zeroes=False`), as its mixture is never zero where a share is not.
 */
export interface ShareOptions {
  readonly fillZeroes?: boolean;
}

function finish(shares: Float64Array, options: ShareOptions): Float64Array {
  return options.fillZeroes === false ? shares : fillZeroShares(shares);
}

/**
 * Bins a numeric column the way Evidently's PSI, KL and JS tests do (`get_binned_data`): a Sturges histogram over
 * reference ∪ current when the reference has more than 20 distinct values, otherwise one bin per distinct value;
 * zero shares are then filled by {@link fillZeroShares} unless `fillZeroes` is false. Both samples must be
 * non-empty and NaN-free.
 */
export function numericShares(
  reference: NumericSample,
  current: NumericSample,
  options: ShareOptions = {},
): BinnedShares {
  const a = asSorted(reference, 'reference').requireData('Binning', 'reference').values;
  const b = asSorted(current, 'current').requireData('Binning', 'current').values;
  if (countDistinct(a, MAX_DISTINCT_FOR_VALUE_BINS) > MAX_DISTINCT_FOR_VALUE_BINS) {
    const edges = sturgesEdges(a, b);
    return {
      reference: finish(histogramShares(a, edges), options),
      current: finish(histogramShares(b, edges), options),
      layout: { kind: 'histogram', edges },
    };
  }
  const values = distinctUnion(a, b);
  return {
    reference: finish(valueShares(a, values), options),
    current: finish(valueShares(b, values), options),
    layout: { kind: 'values', values },
  };
}

/**
 * The bins of Evidently's numeric Hellinger distance, which does not use `get_binned_data`: a Sturges histogram
 * over the DISTINCT values of reference ∪ current (`histogram_bin_edges(keys, 'sturges')`, so N is the number of
 * distinct values, and there are bins even for a handful of values), shares never filled.
 */
export function hellingerShares(reference: NumericSample, current: NumericSample): BinnedShares {
  const a = asSorted(reference, 'reference').requireData('Binning', 'reference').values;
  const b = asSorted(current, 'current').requireData('Binning', 'current').values;
  const edges = sturgesEdges(distinctUnion(a, b), new Float64Array(0));
  return {
    reference: histogramShares(a, edges),
    current: histogramShares(b, edges),
    layout: { kind: 'histogram', edges },
  };
}

/**
 * Shares for a categorical column given its counts per category (same category order in both vectors), zero
 * shares filled unless `fillZeroes` is false. Categories absent from both samples are dropped, as Evidently only
 * keys on values that occur.
 * The returned `categories` holds the original index of each kept category.
 */
export function categoryShares(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  options: ShareOptions = {},
): { readonly reference: Float64Array; readonly current: Float64Array; readonly categories: Int32Array } {
  if (referenceCounts.length !== currentCounts.length) {
    throw new RangeError(
      `categoryShares needs aligned counts (${referenceCounts.length} vs ${currentCounts.length})`,
    );
  }
  const kept: number[] = [];
  let referenceTotal = 0;
  let currentTotal = 0;
  for (let c = 0; c < referenceCounts.length; c++) {
    referenceTotal += referenceCounts[c] as number;
    currentTotal += currentCounts[c] as number;
    if ((referenceCounts[c] as number) + (currentCounts[c] as number) > 0) kept.push(c);
  }
  if (referenceTotal === 0 || currentTotal === 0) {
    const empty = referenceTotal === 0 ? 'reference' : 'current';
    throw new UserFacingError(`Binning needs at least one value in the ${empty} sample, which is empty.`);
  }
  const categories = Int32Array.from(kept);
  const share = (counts: ArrayLike<number>, totalCount: number): Float64Array =>
    finish(
      Float64Array.from(categories, (c) => (counts[c] as number) / totalCount),
      options,
    );
  return {
    reference: share(referenceCounts, referenceTotal),
    current: share(currentCounts, currentTotal),
    categories,
  };
}
