/**
 * Holm's step-down adjustment for multiple comparisons (statsmodels' `multipletests(method='holm')`): the i-th
 * smallest of m p-values is multiplied by m − i + 1, kept non-decreasing in that order and capped at 1. It keeps
 * the family-wise error rate at α without assuming the tests are independent. NaN stays NaN and is not counted.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues
    .map((value, index) => ({ value, index }))
    .filter(({ value }) => !Number.isNaN(value))
    .sort((a, b) => a.value - b.value);
  const adjusted = pValues.map(() => NaN);
  let running = 0;
  for (const [rank, { value, index }] of order.entries()) {
    running = Math.max(running, Math.min(1, (order.length - rank) * value));
    adjusted[index] = running;
  }
  return adjusted;
}
