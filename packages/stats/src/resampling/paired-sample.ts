import { ConfigError } from '@recsys-actions/core';

/**
 * Per-user values of several metrics for two models scored on the same users, row-major: the value of metric m
 * for user u is at `u * metrics + m`. One row per user keeps a resample's reads of a user together in memory.
 */
export interface PairedSample {
  readonly users: number;
  readonly metrics: number;
  readonly challenger: Float64Array;
  readonly baseline: Float64Array;
}

/** Refuses a sample whose arrays do not hold users × metrics values, which would read past a row silently. */
export function checkPairedSample(sample: PairedSample): void {
  const size = sample.users * sample.metrics;
  if (sample.challenger.length !== size || sample.baseline.length !== size) {
    throw new ConfigError(
      'sample',
      `must hold users x metrics = ${size} values per model, got ${sample.challenger.length} and ${sample.baseline.length}`,
    );
  }
  if (sample.users === 0) throw new ConfigError('sample', 'has no users to compare');
}

/** Challenger mean over champion mean, minus 1, from the two sums over the same users; 0/0 is no change. */
export function relativeChange(challengerSum: number, baselineSum: number): number {
  if (baselineSum === 0) return challengerSum === 0 ? 0 : Math.sign(challengerSum) * Infinity;
  return challengerSum / baselineSum - 1;
}

/** Resampling count and seed, checked once for the bootstrap and the randomization test alike. */
export interface ResamplingOptions {
  /** Random resamples to draw (bootstrap resamples, or sign-flip sets when the test is not exact). */
  readonly resamples: number;
  /** Seed of the generator, so the same data and seed give the same interval and p-value. */
  readonly seed: number;
}

export function checkResampling({ resamples, seed }: ResamplingOptions): void {
  if (!Number.isSafeInteger(resamples) || resamples < 1) {
    throw new ConfigError('resamples', `must be a whole number of at least 1, got ${resamples}`, '1000');
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ConfigError('seed', `must be a whole number from 0 to 4294967295, got ${seed}`, '19');
  }
}
