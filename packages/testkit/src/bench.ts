/**
 * The median of a bench's repeated measurements (the mean of the middle two for an even count): on a shared
 * machine one run now and then takes far longer, and the median is the figure that ignores it.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
