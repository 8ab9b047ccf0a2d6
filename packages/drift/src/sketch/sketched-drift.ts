import {
  distinctUnion,
  fillZeroShares,
  MAX_DISTINCT_FOR_VALUE_BINS,
  sturgesEdges,
  sturgesEdgesOf,
  type BinLayout,
} from '@recsys-actions/stats';
import { decide, fillsZeroes, measure, type ColumnDrift } from '../column-drift';
import { binnedHistogram } from '../histogram';
import { autoMethod, chooseMethod } from '../method';
import { MAX_DISTINCT_FOR_COUNT_TESTS, type DriftMethod, type DriftOptions } from '../options';
import {
  cdfError,
  countsAtValues,
  sketchedBinCounts,
  sketchedKs,
  sketchedWasserstein,
} from './distribution-stats';
import { distributionOf, type Distribution, type NumericSketch } from './numeric-sketch';

/**
 * Drift of a numeric column judged from sketches. With both sides' distinct values known (at most 1000 each) the
 * distributions are exact and every method applies; otherwise Hellinger, which bins distinct values, is replaced
 * by the normed Wasserstein distance, and the count tests are already ruled out by their distinct-value limit.
 */
export function sketchedNumericDrift(
  name: string,
  reference: NumericSketch,
  current: NumericSketch,
  options: DriftOptions,
): ColumnDrift {
  const a = distributionOf(reference);
  const b = distributionOf(current);
  const distinct = a.exact && b.exact ? distinctUnion(a.points.values, b.points.values) : undefined;
  const distinctCount = distinct?.length ?? MAX_DISTINCT_FOR_COUNT_TESTS + 1;
  const facts = { name, type: 'numeric', countDistinct: () => distinctCount } as const;
  let method = chooseMethod(facts, options, () => autoMethod('numeric', a.count, distinctCount));
  let note: string | undefined;
  if (method === 'hellinger' && distinct === undefined) {
    note = `hellinger bins distinct values, which a sketch does not keep beyond ${MAX_DISTINCT_FOR_COUNT_TESTS}; judged by wasserstein`;
    method = 'wasserstein';
  }
  const layout = binLayout(method, a, b, distinct);
  const counts = { reference: binCounts(a, layout), current: binCounts(b, layout) };
  const fill = fillsZeroes(method);
  const shares = { reference: sharesOf(counts.reference, fill), current: sharesOf(counts.current, fill) };
  const statistic =
    method === 'ks'
      ? sketchedKs(a, b)
      : method === 'wasserstein'
        ? { statistic: sketchedWasserstein(a, b) }
        : measure(method, { kind: 'categorical', ...counts }, shares);
  const histogram = binnedHistogram(layout, counts.reference, counts.current);
  const drift = decide(name, 'numeric', method, statistic, histogram, options);
  const epsilon = cdfError(a) + cdfError(b);
  return { ...drift, sketch: { epsilon, ...(note === undefined ? {} : { note }) } };
}

/**
 * The bins of `get_binned_data` (a bin per value at most 20 distinct reference values, else Sturges over
 * reference ∪ current, from the exact extremes and sizes); Hellinger's Sturges bins over the distinct values;
 * a bin per distinct value for the count tests.
 */
function binLayout(
  method: DriftMethod,
  a: Distribution,
  b: Distribution,
  distinct: Float64Array | undefined,
): BinLayout {
  const countTest = method === 'chisquare' || method === 'chisquare-contingency' || method === 'ztest';
  const fewValues = a.exact && a.points.values.length <= MAX_DISTINCT_FOR_VALUE_BINS;
  if (distinct !== undefined && (countTest || (fewValues && method !== 'hellinger'))) {
    return { kind: 'values', values: distinct };
  }
  if (distinct !== undefined && method === 'hellinger') {
    return { kind: 'histogram', edges: sturgesEdges(distinct, new Float64Array(0)) };
  }
  return {
    kind: 'histogram',
    edges: sturgesEdgesOf(Math.min(a.min, b.min), Math.max(a.max, b.max), a.count + b.count),
  };
}

function binCounts(distribution: Distribution, layout: BinLayout): Float64Array {
  return layout.kind === 'values'
    ? countsAtValues(distribution, layout.values)
    : sketchedBinCounts(distribution, layout.edges);
}

function sharesOf(counts: Float64Array, fill: boolean): Float64Array {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const shares = counts.map((count) => count / total);
  return fill ? fillZeroShares(shares) : shares;
}
