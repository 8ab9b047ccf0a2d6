import { formatNumber } from '@recsys-actions/core';
import { histogramCounts, type BinLayout, type SortedSample } from '@recsys-actions/stats';

/** Shares per bin of both samples, labelled, for a chart in the report. */
export interface DriftHistogram {
  readonly labels: string[];
  readonly reference: number[];
  readonly current: number[];
}

/** At most this many bars: the largest bins by combined share, the rest summed into "other". */
export const MAX_HISTOGRAM_BINS = 20;

/** Counts of each distinct value of `values` (ascending) in a sorted sample, by one walk. */
export function valueCounts(sorted: Float64Array, values: Float64Array): Float64Array {
  const counts = new Float64Array(values.length);
  let i = 0;
  for (let bin = 0; bin < values.length; bin++) {
    const start = i;
    while (sorted[i] === values[bin]) i++;
    counts[bin] = i - start;
  }
  return counts;
}

export function numericHistogram(
  reference: SortedSample,
  current: SortedSample,
  layout: BinLayout,
): DriftHistogram {
  const countsOf = (sample: SortedSample): Float64Array =>
    layout.kind === 'histogram'
      ? histogramCounts(sample.values, layout.edges)
      : valueCounts(sample.values, layout.values);
  return binnedHistogram(layout, countsOf(reference), countsOf(current));
}

/** The chart of both samples' counts on a numeric bin layout. */
export function binnedHistogram(
  layout: BinLayout,
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): DriftHistogram {
  const labels =
    layout.kind === 'histogram'
      ? Array.from(
          { length: layout.edges.length - 1 },
          (_, i) => `${formatNumber(layout.edges[i])}–${formatNumber(layout.edges[i + 1])}`,
        )
      : Array.from(layout.values, (value) => formatNumber(value));
  return topBins(labels, shares(referenceCounts), shares(currentCounts), false);
}

export function categoryHistogram(
  categories: readonly string[],
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): DriftHistogram {
  return topBins([...categories], shares(referenceCounts), shares(currentCounts), true);
}

function shares(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  return Array.from(counts, (count) => (total === 0 ? 0 : count / total));
}

/**
 * Keeps the {@link MAX_HISTOGRAM_BINS} - 1 largest bins when there are more, and an "other" bin for the rest.
 * Numeric bins keep their order (it is the x axis); categories are listed largest first.
 */
function topBins(labels: string[], reference: number[], current: number[], bySize: boolean): DriftHistogram {
  const order = labels.map((_, i) => i);
  const weight = (i: number): number => (reference[i] as number) + (current[i] as number);
  if (bySize) order.sort((a, b) => weight(b) - weight(a));
  if (order.length <= MAX_HISTOGRAM_BINS) return pick(order, labels, reference, current);
  const kept = new Set([...order].sort((a, b) => weight(b) - weight(a)).slice(0, MAX_HISTOGRAM_BINS - 1));
  const shown = pick(
    order.filter((i) => kept.has(i)),
    labels,
    reference,
    current,
  );
  const rest = order.filter((i) => !kept.has(i));
  const sum = (values: number[]): number => rest.reduce((total, i) => total + (values[i] as number), 0);
  return {
    labels: [...shown.labels, 'other'],
    reference: [...shown.reference, sum(reference)],
    current: [...shown.current, sum(current)],
  };
}

function pick(order: number[], labels: string[], reference: number[], current: number[]): DriftHistogram {
  return {
    labels: order.map((i) => labels[i] as string),
    reference: order.map((i) => reference[i] as number),
    current: order.map((i) => current[i] as number),
  };
}
