import { kolmogorovNSf, MIN_REFERENCE_STD } from '@recsys-actions/stats';
import type { Distribution } from './numeric-sketch';
import type { WeightedPoints } from './quantile-sketch';

/** Weight of the points below `x` (or at most `x` when `inclusive`), by binary search. */
export function weightBelow(points: WeightedPoints, x: number, inclusive: boolean): number {
  const { values, cumulative } = points;
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const value = values[mid] as number;
    if (inclusive ? value <= x : value < x) low = mid + 1;
    else high = mid;
  }
  return low === 0 ? 0 : (cumulative[low - 1] as number);
}

/** The share of a distribution at most `x`. */
const cdf = (distribution: Distribution, x: number): number =>
  weightBelow(distribution.points, x, true) / distribution.count;

/** Relative rank error of a distribution: the most its CDF can be off. */
export const cdfError = (distribution: Distribution): number => distribution.rankError / distribution.count;

/**
 * Two-sample KS from two distributions. Each CDF is off by at most its rank error, so D is raised by both: the
 * p-value (SciPy's asymptotic `kstwo.sf(D, round(n·m/(n+m)))`) is then never smaller than the exact one's bound.
 */
export function sketchedKs(
  reference: Distribution,
  current: Distribution,
): { statistic: number; pValue: number } {
  let widest = 0;
  for (const points of [reference.points, current.points]) {
    for (let i = 0; i < points.values.length; i++) {
      const x = points.values[i] as number;
      const gap = Math.abs(cdf(reference, x) - cdf(current, x));
      if (gap > widest) widest = gap;
    }
  }
  const statistic = Math.min(1, widest + cdfError(reference) + cdfError(current));
  const effectiveSize = Math.round((reference.count * current.count) / (reference.count + current.count));
  return { statistic, pValue: kolmogorovNSf(effectiveSize, statistic) };
}

/** W1 / max(std_reference, 0.001) between the two step CDFs (std from the exact sums). */
export function sketchedWasserstein(reference: Distribution, current: Distribution): number {
  const a = reference.points;
  const b = current.points;
  let i = 0;
  let j = 0;
  let area = 0;
  let position = Math.min(a.values[0] ?? Infinity, b.values[0] ?? Infinity);
  while (i < a.values.length || j < b.values.length) {
    while (a.values[i] === position) i++;
    while (b.values[j] === position) j++;
    if (i === a.values.length && j === b.values.length) break;
    const next = Math.min(a.values[i] ?? Infinity, b.values[j] ?? Infinity);
    const fa = i === 0 ? 0 : (a.cumulative[i - 1] as number) / reference.count;
    const fb = j === 0 ? 0 : (b.cumulative[j - 1] as number) / current.count;
    area += Math.abs(fa - fb) * (next - position);
    position = next;
  }
  return area / Math.max(reference.std, MIN_REFERENCE_STD);
}

/** Counts per bin as numpy.histogram counts them ([e_i, e_i+1), the last bin closed), from the step CDF. */
export function sketchedBinCounts(distribution: Distribution, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length - 1);
  let previous = weightBelow(distribution.points, edges[0] as number, false);
  for (let i = 1; i < edges.length; i++) {
    const next = weightBelow(distribution.points, edges[i] as number, i === edges.length - 1);
    counts[i - 1] = next - previous;
    previous = next;
  }
  return counts;
}

/** Counts at each of `values` (ascending) of an exact distribution. */
export function countsAtValues(distribution: Distribution, values: Float64Array): Float64Array {
  return values.map(
    (value) => weightBelow(distribution.points, value, true) - weightBelow(distribution.points, value, false),
  );
}
