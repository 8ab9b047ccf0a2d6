import { chiSquareSf } from '../distributions/chi-square';
import { categoryTotals } from './category-counts';

export interface GoodnessOfFitResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly degreesOfFreedom: number;
}

/**
 * Pearson's goodness-of-fit test of the current counts against the reference's proportions, Evidently's
 * `chisquare` drift test: expected_i = reference_i · (n_current / n_reference), statistic Σ (O − E)² / E over the
 * k categories present in either sample, df = k − 1, as `scipy.stats.chisquare(current, expected)` computes it.
 *
 * It treats the reference as the true distribution, so a category the reference never saw has E = 0 and makes the
 * statistic +∞ (p = 0), exactly as SciPy and Evidently do. A single category gives statistic 0 and p = 1.
 */
export function chiSquareGoodnessOfFit(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): GoodnessOfFitResult {
  const { referenceTotal, currentTotal } = categoryTotals(
    'chiSquareGoodnessOfFit',
    referenceCounts,
    currentCounts,
  );
  const scale = currentTotal / referenceTotal;
  let statistic = 0;
  let categories = 0;
  for (let c = 0; c < referenceCounts.length; c++) {
    const observed = currentCounts[c] as number;
    const expected = (referenceCounts[c] as number) * scale;
    if (observed === 0 && expected === 0) continue;
    categories++;
    const difference = observed - expected;
    statistic += (difference * difference) / expected;
  }
  const degreesOfFreedom = categories - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, pValue: 1, degreesOfFreedom };
  const pValue = statistic === Infinity ? 0 : chiSquareSf(statistic, degreesOfFreedom);
  return { statistic, pValue, degreesOfFreedom };
}
