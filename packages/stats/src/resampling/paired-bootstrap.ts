import { ConfigError } from '@recsys-actions/core';
import { sortFloat64InPlace } from '../sort-floats';
import { columnsOf, columnSums, type PairedColumns, type PairedInput } from './paired-columns';
import { checkResampling, relativeChange, type ResamplingOptions } from './paired-sample';
import { SeededRandom } from './seeded-random';

export interface BootstrapOptions extends ResamplingOptions {
  /** Two-sided confidence levels, each strictly between 0.5 and 1; one interval per level and metric. */
  readonly confidences: readonly number[];
}

export interface ConfidenceInterval {
  readonly confidence: number;
  /** One bound per metric, in the sample's metric order. */
  readonly lower: number[];
  readonly upper: number[];
}

export interface PairedBootstrapResult {
  /** The observed relative change of each metric: challenger mean / champion mean − 1. */
  readonly relativeChange: number[];
  readonly intervals: ConfidenceInterval[];
}

/** A confidence level is a two-sided coverage: at 0.5 or below an interval would not hold the estimate. */
export function checkConfidence(field: string, confidence: number): void {
  if (!(confidence > 0.5 && confidence < 1)) {
    throw new ConfigError(field, `must lie strictly between 0.5 and 1, got ${confidence}`, '0.95');
  }
}

/**
 * Percentile bootstrap of each metric's relative change (SciPy's `bootstrap(..., paired=True,
 * method='percentile')`): users are drawn with replacement, the same draw for every metric and for both models,
 * so the pairing is kept; the interval's bounds are the (1 − c)/2 and (1 + c)/2 quantiles of the resampled
 * changes, linearly interpolated as NumPy's `percentile` does.
 */
export function pairedBootstrap(sample: PairedInput, options: BootstrapOptions): PairedBootstrapResult {
  const columns = columnsOf(sample);
  checkBootstrap(options);
  return bootstrapFromChanges(columns, [bootstrapChanges(columns, options)], options);
}

function checkBootstrap(options: BootstrapOptions): void {
  checkResampling(options);
  for (const confidence of options.confidences) checkConfidence('confidence', confidence);
}

/** A run of consecutive resamples of the seeded sequence: resamples `first` to `first + count - 1`. */
export interface ResampleRange {
  readonly first: number;
  readonly count: number;
}

/**
 * The relative changes of a run of the bootstrap's resamples, metric-major (metric m's are at `m * count ...`).
 * Each resample draws one number per user, so a run that starts later skips those draws: parts computed on
 * different threads join into exactly the resamples {@link pairedBootstrap} draws on one.
 */
export function bootstrapChanges(
  sample: PairedInput,
  options: ResamplingOptions,
  range: ResampleRange = { first: 0, count: options.resamples },
): Float64Array {
  const columns = columnsOf(sample);
  checkResampling(options);
  const { first, count } = range;
  if (!(Number.isSafeInteger(first) && first >= 0 && Number.isSafeInteger(count) && count >= 0))
    throw new ConfigError('range', `must be whole numbers from 0, got first ${first} and count ${count}`);
  const random = new SeededRandom(options.seed);
  random.skip(range.first * columns.users);
  return resampleChanges(columns, random, range.count);
}

/**
 * The bootstrap's result from its resampled changes, given as consecutive runs from the first resample on (each
 * from {@link bootstrapChanges}); they must hold `options.resamples` resamples in all.
 */
export function bootstrapFromChanges(
  sample: PairedInput,
  parts: readonly Float64Array[],
  options: BootstrapOptions,
): PairedBootstrapResult {
  const columns = columnsOf(sample);
  checkBootstrap(options);
  const { metrics } = columns;
  const { resamples } = options;
  const held = parts.reduce((sum, part) => sum + part.length, 0);
  if (held !== metrics * resamples)
    throw new ConfigError('parts', `must hold ${metrics * resamples} resampled changes, got ${held}`);
  const sorted: Float64Array[] = [];
  for (let metric = 0; metric < metrics; metric++) {
    const row = new Float64Array(resamples);
    let at = 0;
    for (const part of parts) {
      const count = part.length / metrics;
      row.set(part.subarray(metric * count, (metric + 1) * count), at);
      at += count;
    }
    sorted.push(sortFloat64InPlace(row));
  }
  const sums = columnSums(columns);
  return {
    relativeChange: Array.from(sums.challenger, (sum, metric) =>
      relativeChange(sum, sums.baseline[metric] as number),
    ),
    intervals: options.confidences.map((confidence) => {
      const tail = (1 - confidence) / 2;
      return {
        confidence,
        lower: sorted.map((values) => quantile(values, tail)),
        upper: sorted.map((values) => quantile(values, 1 - tail)),
      };
    }),
  };
}

/** Resamples weighed together in one pass over a metric's entries, their sums held in registers. */
const BLOCK = 8;

/** `resamples` resampled changes drawn from `random`, metric-major: metric m's are at `m * resamples ...`. */
function resampleChanges(columns: PairedColumns, random: SeededRandom, resamples: number): Float64Array {
  const { users, metrics } = columns;
  // A short last block weighs its unused slots with zeros, so the kernel always sums a whole block.
  const weights = Array.from({ length: BLOCK }, () => new Int32Array(users)) as BlockWeights;
  const sums = new Float64Array(2 * BLOCK);
  const changes = new Float64Array(metrics * resamples);
  for (let first = 0; first < resamples; first += BLOCK) {
    const drawn = Math.min(BLOCK, resamples - first);
    // Counting how often each user is drawn, then one pass in user order, reads memory sequentially and adds in
    // user order; adding a row per draw would jump around the arrays once per draw.
    for (const [slot, counts] of weights.entries()) {
      if (slot < drawn) random.drawCounts(counts);
      else counts.fill(0);
    }
    for (let metric = 0; metric < metrics; metric++) {
      weighBlock(columns, metric, weights, sums);
      for (let slot = 0; slot < drawn; slot++)
        changes[metric * resamples + first + slot] = relativeChange(
          sums[slot] as number,
          sums[BLOCK + slot] as number,
        );
    }
  }
  return changes;
}

// prettier-ignore
type BlockWeights = [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];

/**
 * One metric's weighted sums under each of a block's 8 weightings: the challenger's into `sums[0 .. 8)`, the
 * baseline's into `sums[8 .. 16)`. Written out for 8 so that the 16 running sums can stay in registers: a loop over
 * the block would load and store each sum once per entry.
 */
function weighBlock(columns: PairedColumns, metric: number, weights: BlockWeights, sums: Float64Array): void {
  const { rows, challenger, baseline } = columns;
  const [w0, w1, w2, w3, w4, w5, w6, w7] = weights;
  // prettier-ignore
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
  // prettier-ignore
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0;
  const end = columns.starts[metric + 1] as number;
  // prettier-ignore
  for (let entry = columns.starts[metric] as number; entry < end; entry++) {
    const user = rows[entry] as number;
    const x = challenger[entry] as number;
    const y = baseline[entry] as number;
    let w = w0[user] as number; c0 += w * x; b0 += w * y;
    w = w1[user] as number; c1 += w * x; b1 += w * y;
    w = w2[user] as number; c2 += w * x; b2 += w * y;
    w = w3[user] as number; c3 += w * x; b3 += w * y;
    w = w4[user] as number; c4 += w * x; b4 += w * y;
    w = w5[user] as number; c5 += w * x; b5 += w * y;
    w = w6[user] as number; c6 += w * x; b6 += w * y;
    w = w7[user] as number; c7 += w * x; b7 += w * y;
  }
  sums.set([c0, c1, c2, c3, c4, c5, c6, c7, b0, b1, b2, b3, b4, b5, b6, b7]);
}

/** NumPy's default ('linear') quantile of ascending values. */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low === high ? low : low + (position - below) * (high - low);
}
