import { chiSquareSf } from '../distributions/chi-square';
import { categoryTotals } from './category-counts';

export interface ChiSquareResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly degreesOfFreedom: number;
  /** True when Yates' continuity correction was applied (2 categories and `yates` not disabled). */
  readonly yatesCorrected: boolean;
}

/**
 * Pearson's chi-square test of independence on the 2×k table whose rows are the reference and current counts per
 * category, as `scipy.stats.chi2_contingency(table)` computes it. Like SciPy's default we apply Yates' correction
 * when the table has one degree of freedom (k = 2): each |observed - expected| shrinks by min(0.5, |difference|),
 * which keeps the test from over-rejecting on small 2×2 tables. Pass `{ yates: false }` for the plain statistic.
 *
 * Categories empty in both rows are dropped (SciPy rejects a table with a zero expected count; dropping them
 * gives the statistic of the table without that column). A single remaining category means zero degrees of
 * freedom: statistic 0, p-value 1, as SciPy returns.
 */
export function chiSquareContingency(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  options: { readonly yates?: boolean } = {},
): ChiSquareResult {
  const { referenceTotal, currentTotal } = categoryTotals(
    'chiSquareContingency',
    referenceCounts,
    currentCounts,
  );
  const grandTotal = referenceTotal + currentTotal;
  let categories = 0;
  for (let c = 0; c < referenceCounts.length; c++)
    if ((referenceCounts[c] as number) + (currentCounts[c] as number) > 0) categories++;
  const degreesOfFreedom = categories - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, pValue: 1, degreesOfFreedom, yatesCorrected: false };

  const yatesCorrected = degreesOfFreedom === 1 && options.yates !== false;
  let statistic = 0;
  const addCell = (observed: number, expected: number): void => {
    let difference = observed - expected;
    if (yatesCorrected) difference -= Math.sign(difference) * Math.min(0.5, Math.abs(difference));
    statistic += (difference * difference) / expected;
  };
  for (let c = 0; c < referenceCounts.length; c++) {
    const columnTotal = (referenceCounts[c] as number) + (currentCounts[c] as number);
    if (columnTotal === 0) continue;
    addCell(referenceCounts[c] as number, (referenceTotal * columnTotal) / grandTotal);
    addCell(currentCounts[c] as number, (currentTotal * columnTotal) / grandTotal);
  }
  return { statistic, pValue: chiSquareSf(statistic, degreesOfFreedom), degreesOfFreedom, yatesCorrected };
}
