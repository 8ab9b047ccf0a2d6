import { UserFacingError } from '@recsys-actions/core';

/**
 * The totals of two aligned count vectors (one count per category in each), after checking that they align and
 * that neither sample is empty: what every chi-square test needs before it starts.
 */
export function categoryTotals(
  test: string,
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): { referenceTotal: number; currentTotal: number } {
  if (referenceCounts.length !== currentCounts.length) {
    throw new RangeError(
      `${test} needs one count per category in both samples (${referenceCounts.length} vs ${currentCounts.length})`,
    );
  }
  const referenceTotal = total(referenceCounts);
  const currentTotal = total(currentCounts);
  if (referenceTotal === 0 || currentTotal === 0) {
    const empty = referenceTotal === 0 ? 'reference' : 'current';
    throw new UserFacingError(
      `The chi-square test needs at least one value in the ${empty} sample, which is empty.`,
    );
  }
  return { referenceTotal, currentTotal };
}

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i] as number;
  return sum;
}
