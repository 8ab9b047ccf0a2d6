import { ConfigError } from '@recsys-actions/core';
import { sortFloat64InPlace } from '../sort-floats';
import {
  checkPairedSample,
  checkResampling,
  relativeChange,
  type PairedSample,
  type ResamplingOptions,
} from './paired-sample';
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
export function pairedBootstrap(sample: PairedSample, options: BootstrapOptions): PairedBootstrapResult {
  checkBootstrap(sample, options);
  return bootstrapFromChanges(sample, [bootstrapChanges(sample, options)], options);
}

function checkBootstrap(sample: PairedSample, options: BootstrapOptions): void {
  checkPairedSample(sample);
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
  sample: PairedSample,
  options: ResamplingOptions,
  range: ResampleRange = { first: 0, count: options.resamples },
): Float64Array {
  checkPairedSample(sample);
  checkResampling(options);
  const { first, count } = range;
  if (!(Number.isSafeInteger(first) && first >= 0 && Number.isSafeInteger(count) && count >= 0))
    throw new ConfigError('range', `must be whole numbers from 0, got first ${first} and count ${count}`);
  const random = new SeededRandom(options.seed);
  random.skip(range.first * sample.users);
  return resampleChanges(sample, random, range.count);
}

/**
 * The bootstrap's result from its resampled changes, given as consecutive runs from the first resample on (each
 * from {@link bootstrapChanges}); they must hold `options.resamples` resamples in all.
 */
export function bootstrapFromChanges(
  sample: PairedSample,
  parts: readonly Float64Array[],
  options: BootstrapOptions,
): PairedBootstrapResult {
  checkBootstrap(sample, options);
  const { users, metrics } = sample;
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
  const observed = weightedChanges(sample, [new Int32Array(users).fill(1)]);
  return {
    relativeChange: Array.from(observed),
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

/**
 * Resamples weighed together in one pass over the users: a row is read from memory once per block instead of once
 * per resample (100,000 users × 16 metrics × 2 models is 25 MB, far more than a cache holds).
 */
const BLOCK = 8;

/** `resamples` resampled changes drawn from `random`, metric-major: metric m's are at `m * resamples ...`. */
function resampleChanges(sample: PairedSample, random: SeededRandom, resamples: number): Float64Array {
  const { users, metrics } = sample;
  const blockDraws = Array.from({ length: Math.min(BLOCK, resamples) }, () => new Int32Array(users));
  const changes = new Float64Array(metrics * resamples);
  for (let first = 0; first < resamples; first += BLOCK) {
    // Counting how often each user is drawn, then one pass in user order, reads memory sequentially; adding a
    // row per draw would jump around the arrays once per draw.
    const draws = blockDraws.slice(0, Math.min(BLOCK, resamples - first));
    for (const counts of draws) random.drawCounts(counts);
    const observed = weightedChanges(sample, draws);
    for (let resample = 0; resample < draws.length; resample++)
      for (let metric = 0; metric < metrics; metric++)
        changes[metric * resamples + first + resample] = observed[resample * metrics + metric] as number;
  }
  return changes;
}

/** Each metric's relative change when user u counts `weights[r][u]` times, for each weighting r (r-major). */
function weightedChanges(sample: PairedSample, weights: readonly Int32Array[]): Float64Array {
  const { users, metrics, challenger, baseline } = sample;
  const challengerSums = new Float64Array(weights.length * metrics);
  const baselineSums = new Float64Array(weights.length * metrics);
  for (let user = 0; user < users; user++) {
    const row = user * metrics;
    for (let resample = 0; resample < weights.length; resample++) {
      const weight = (weights[resample] as Int32Array)[user] as number;
      // About a third of the users are not drawn. Skipping them pays once a row is wide; for one or two metrics
      // a branch taken at random costs more than the multiplications by 0 it saves.
      if (weight === 0 && metrics > 2) continue;
      const at = resample * metrics;
      for (let metric = 0; metric < metrics; metric++) {
        challengerSums[at + metric] =
          (challengerSums[at + metric] as number) + weight * (challenger[row + metric] as number);
        baselineSums[at + metric] =
          (baselineSums[at + metric] as number) + weight * (baseline[row + metric] as number);
      }
    }
  }
  return challengerSums.map((sum, index) => relativeChange(sum, baselineSums[index] as number));
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
