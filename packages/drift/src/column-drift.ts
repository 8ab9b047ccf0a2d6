import {
  categoryShares,
  chiSquareContingency,
  chiSquareGoodnessOfFit,
  distinctUnion,
  hellingerDistance,
  hellingerShares,
  jensenShannonDistance,
  klDivergence,
  normalizedWassersteinDistance,
  numericShares,
  populationStabilityIndex,
  ksTwoSample,
  twoProportionZTest,
  type SortedSample,
} from '@recsys-actions/stats';
import { categoryHistogram, numericHistogram, valueCounts, type DriftHistogram } from './histogram';
import { autoMethod, chooseMethod } from './method';
import { isPValueMethod, thresholdFor, type DriftMethod, type DriftOptions } from './options';
import { sketchOf, type CategoricalColumnProfile, type NumericColumnProfile } from './profile';
import { sketchedNumericDrift } from './sketch/sketched-drift';
import { alignCounts, CATEGORY_LIMIT } from './sketch/category-sketch';

export interface ColumnDrift {
  column: string;
  type: 'numeric' | 'categorical';
  method: DriftMethod;
  /** The test statistic (KS D, chi-square, z) or the distance. */
  statistic: number;
  /** For ks, chisquare and ztest; drift is then judged on it. */
  pValue?: number;
  threshold: number;
  drifted: boolean;
  /**
   * How far past its threshold the column is, comparable across methods: distance / threshold, or for tests
   * ln(p) / ln(threshold) (p floored at 1e-300). 1 is the threshold itself; above 1 means drifted.
   */
  score: number;
  histogram: DriftHistogram;
  /**
   * Set when the column was judged from sketches (more than 1 M values on a side): `epsilon` is the most the
   * two CDFs (or category shares) can be off together, relative; `note` says when the method was replaced.
   */
  sketch?: { epsilon: number; note?: string };
}

/** Distances and the tests' p-values on the two samples' bins (shares) or counts. */
export type Samples =
  | { kind: 'numeric'; reference: SortedSample; current: SortedSample }
  | { kind: 'categorical'; reference: Float64Array; current: Float64Array };

export type Shares = { reference: Float64Array; current: Float64Array };

/** PSI and KL take logarithms of each share, so they fill empty bins (Evidently's `feel_zeroes`); no other does. */
export const fillsZeroes = (method: DriftMethod): boolean => method === 'psi' || method === 'kl';

const SMALLEST_P_VALUE = 1e-300;

export function numericColumnDrift(
  reference: NumericColumnProfile,
  current: NumericColumnProfile,
  options: DriftOptions,
): ColumnDrift {
  if (reference.sketch !== undefined || current.sketch !== undefined) {
    return sketchedNumericDrift(reference.name, sketchOf(reference), sketchOf(current), options);
  }
  const a = reference.numeric.sorted;
  const b = current.numeric.sorted;
  const facts = {
    name: reference.name,
    type: 'numeric',
    countDistinct: (limit: number) => countDistinctUpTo(a.values, b.values, limit),
  } as const;
  const method = chooseMethod(facts, options, () =>
    autoMethod('numeric', a.size, countDistinctUpTo(a.values, b.values, 6)),
  );
  const shares = numericShares(a, b, { fillZeroes: fillsZeroes(method) });
  const histogram = numericHistogram(a, b, shares.layout);
  const samples: Samples = { kind: 'numeric', reference: a, current: b };
  return decide(reference.name, 'numeric', method, measure(method, samples, shares), histogram, options);
}

export function categoricalColumnDrift(
  reference: CategoricalColumnProfile,
  current: CategoricalColumnProfile,
  options: DriftOptions,
): ColumnDrift {
  const sketched = reference.other !== undefined || current.other !== undefined;
  const categories = unionCategories(reference, current);
  const referenceCounts = countsWithOther(reference, categories, sketched);
  const currentCounts = countsWithOther(current, categories, sketched);
  const referenceValues = referenceCounts.reduce((sum, count) => sum + count, 0);
  const distinct = referenceCounts.filter((count, i) => count + (currentCounts[i] as number) > 0).length;
  const facts = { name: reference.name, type: 'categorical', countDistinct: () => distinct } as const;
  let method = chooseMethod(facts, options, () => autoMethod('categorical', referenceValues, distinct));
  let note: string | undefined;
  if (sketched && isPValueMethod(method)) {
    note = `${method} needs every category's count, and the column has more than ${CATEGORY_LIMIT} categories above 1 M values; judged by jensenshannon`;
    method = 'jensenshannon';
  }
  const labels = sketched ? [...categories, OTHER_CATEGORIES] : categories;
  const histogram = categoryHistogram(labels, referenceCounts, currentCounts);
  const samples: Samples = { kind: 'categorical', reference: referenceCounts, current: currentCounts };
  const shares = categoryShares(referenceCounts, currentCounts, { fillZeroes: fillsZeroes(method) });
  const drift = decide(
    reference.name,
    'categorical',
    method,
    measure(method, samples, shares),
    histogram,
    options,
  );
  if (!sketched) return drift;
  const shareError = (column: CategoricalColumnProfile, values: number) =>
    (column.other?.countError ?? 0) / Math.max(values, 1);
  const epsilon =
    shareError(reference, referenceValues) +
    shareError(
      current,
      currentCounts.reduce((sum, count) => sum + count, 0),
    );
  return { ...drift, sketch: { epsilon, ...(note === undefined ? {} : { note }) } };
}

/** The label of the bin holding the categories a sketched column left out, on both sides. */
const OTHER_CATEGORIES = '(other categories)';

/** Counts aligned on `categories`, and the left-out categories' count as one more bin when sketched. */
function countsWithOther(
  column: CategoricalColumnProfile,
  categories: readonly string[],
  sketched: boolean,
): Float64Array {
  const counts = Array.from(alignCounts(column, categories).counts);
  if (sketched) counts.push(column.other?.count ?? 0);
  return Float64Array.from(counts);
}

function unionCategories(reference: CategoricalColumnProfile, current: CategoricalColumnProfile): string[] {
  const known = new Set(reference.categories);
  return [...reference.categories, ...current.categories.filter((name) => !known.has(name))];
}

/** Distinct values of a ∪ b (both sorted), counting no further than `limit`. */
function countDistinctUpTo(a: Float64Array, b: Float64Array, limit: number): number {
  let i = 0;
  let j = 0;
  let distinct = 0;
  while ((i < a.length || j < b.length) && distinct < limit) {
    const value = Math.min(a[i] ?? Infinity, b[j] ?? Infinity);
    while (a[i] === value) i++;
    while (b[j] === value) j++;
    distinct++;
  }
  return distinct;
}

/** Counts per value (numeric) or per category, aligned, for the chi-square and z tests. */
function countsOf(samples: Samples): { reference: Float64Array; current: Float64Array } {
  if (samples.kind === 'categorical') return samples;
  const distinct = distinctUnion(samples.reference.values, samples.current.values);
  return {
    reference: valueCounts(samples.reference.values, distinct),
    current: valueCounts(samples.current.values, distinct),
  };
}

/**
 * Evidently's statistic for the method. `shares` are the `get_binned_data` bins, filled only for PSI and KL;
 * Hellinger bins numeric columns its own way ({@link hellingerShares}) and reads categories unfilled.
 */
export function measure(
  method: DriftMethod,
  samples: Samples,
  shares: Shares,
): { statistic: number; pValue?: number } {
  switch (method) {
    case 'ks': {
      if (samples.kind !== 'numeric') throw new Error('KS needs numeric samples');
      const { statistic, pValue } = ksTwoSample(samples.reference, samples.current);
      return { statistic, pValue };
    }
    case 'wasserstein':
      if (samples.kind !== 'numeric') throw new Error('Wasserstein needs numeric samples');
      return { statistic: normalizedWassersteinDistance(samples.reference, samples.current) };
    case 'chisquare': {
      const counts = countsOf(samples);
      const { statistic, pValue } = chiSquareGoodnessOfFit(counts.reference, counts.current);
      return { statistic, pValue };
    }
    case 'chisquare-contingency': {
      const counts = countsOf(samples);
      const { statistic, pValue } = chiSquareContingency(counts.reference, counts.current);
      return { statistic, pValue };
    }
    case 'ztest':
      return twoProportion(countsOf(samples));
    case 'psi':
      return { statistic: populationStabilityIndex(shares.reference, shares.current) };
    case 'kl':
      return { statistic: klDivergence(shares.reference, shares.current) };
    case 'jensenshannon':
      return { statistic: jensenShannonDistance(shares.reference, shares.current) };
    case 'hellinger': {
      const bins = samples.kind === 'numeric' ? hellingerShares(samples.reference, samples.current) : shares;
      return { statistic: hellingerDistance(bins.reference, bins.current) };
    }
  }
}

/**
 * The z-test on the share of the reference's most frequent value: for a binary column (its intended use) that is
 * the test of either value, as the two-sided test is symmetric; with more values it tests that one against the rest.
 */
function twoProportion(counts: { reference: Float64Array; current: Float64Array }): {
  statistic: number;
  pValue: number;
} {
  let top = 0;
  for (let i = 1; i < counts.reference.length; i++)
    if ((counts.reference[i] as number) > (counts.reference[top] as number)) top = i;
  const total = (values: Float64Array): number => values.reduce((sum, value) => sum + value, 0);
  return twoProportionZTest(
    { successes: counts.reference[top] as number, total: total(counts.reference) },
    { successes: counts.current[top] as number, total: total(counts.current) },
  );
}

/**
 * Evidently's verdicts: KS drifts when p ≤ threshold, chi-square and z when p < threshold, every distance when it
 * is ≥ threshold.
 */
export function decide(
  column: string,
  type: 'numeric' | 'categorical',
  method: DriftMethod,
  { statistic, pValue }: { statistic: number; pValue?: number },
  histogram: DriftHistogram,
  options: DriftOptions,
): ColumnDrift {
  const threshold = thresholdFor(column, method, options);
  let drifted: boolean;
  let score: number;
  if (isPValueMethod(method) && pValue !== undefined) {
    drifted = method === 'ks' ? pValue <= threshold : pValue < threshold;
    score = Math.log(Math.max(pValue, SMALLEST_P_VALUE)) / Math.log(threshold);
  } else {
    drifted = statistic >= threshold;
    score = statistic / threshold;
  }
  return {
    column,
    type,
    method,
    statistic,
    ...(pValue === undefined ? {} : { pValue }),
    threshold,
    drifted,
    score,
    histogram,
  };
}
