import { InputError } from '@recsys-actions/core';

export const ANALYSIS_MODES = ['threshold', 'compare', 'sequential'] as const;
export type AnalysisMode = (typeof ANALYSIS_MODES)[number];
export const TIMEOUT_OUTCOMES = ['inconclusive', 'promote'] as const;
export type TimeoutOutcome = (typeof TIMEOUT_OUTCOMES)[number];

export interface AnalysisOptions {
  readonly analysis: AnalysisMode;
  /** Error rate of each sequential decision: the chance of rolling back a canary that is within tolerance. */
  readonly alpha: number;
  /** Failed intervals (threshold rules) that roll back. */
  readonly failureLimit: number;
  /** Intervals without data for one check that end the analysis as inconclusive. */
  readonly inconclusiveLimit: number;
  /** Consecutive intervals with a provider error that end the analysis as inconclusive. */
  readonly consecutiveErrorLimit: number;
  /** Intervals with data each check needs before any promote or rollback. */
  readonly minIntervals: number;
  /** Canary exposure (a ratio check's total, e.g. requests) each ratio check needs before any verdict. */
  readonly minSamples: number;
  /** max-duration / interval: the analysis ends after this many intervals. */
  readonly maxIntervals: number;
  /** Sequential analysis only: the verdict when max-duration passes without enough evidence either way. */
  readonly onTimeout: TimeoutOutcome;
  /** Compare analysis: confidence of the Mann-Whitney test. */
  readonly confidence: number;
  /** Compare analysis: scores at or above `pass` promote, at or above `marginal` are inconclusive. */
  readonly pass: number;
  readonly marginal: number;
}

export const DEFAULT_OPTIONS: Omit<AnalysisOptions, 'maxIntervals'> = {
  analysis: 'sequential',
  alpha: 0.05,
  failureLimit: 2,
  inconclusiveLimit: 5,
  consecutiveErrorLimit: 4,
  minIntervals: 3,
  minSamples: 100,
  onTimeout: 'inconclusive',
  confidence: 0.98,
  pass: 75,
  marginal: 50,
};

/**
 * Fills in defaults and checks every option, naming the action input a person would change. `maxIntervals`
 * has no default because only the action knows max-duration and interval.
 */
export function resolveOptions(
  given: Partial<AnalysisOptions> & Pick<AnalysisOptions, 'maxIntervals'>,
): AnalysisOptions {
  const options = { ...DEFAULT_OPTIONS, ...withoutUndefined(given), maxIntervals: given.maxIntervals };
  const require = (ok: boolean, input: string, problem: string, example: string) => {
    if (!ok) throw new InputError(input, problem, example);
  };
  const wholeAtLeast = (value: number, min: number) => Number.isInteger(value) && value >= min;
  require(ANALYSIS_MODES.includes(
    options.analysis,
  ), 'analysis', `must be one of ${ANALYSIS_MODES.join(', ')}, got '${options.analysis}'`, 'sequential');
  require(options.alpha > 0 &&
    options.alpha <= 0.5, 'alpha', `must be in (0, 0.5], got ${options.alpha}`, '0.05');
  require(wholeAtLeast(
    options.failureLimit,
    1,
  ), 'failure-limit', `must be a whole number ≥ 1, got ${options.failureLimit}`, '2');
  require(wholeAtLeast(
    options.inconclusiveLimit,
    1,
  ), 'inconclusive-limit', `must be a whole number ≥ 1, got ${options.inconclusiveLimit}`, '5');
  require(wholeAtLeast(
    options.consecutiveErrorLimit,
    1,
  ), 'consecutive-error-limit', `must be a whole number ≥ 1, got ${options.consecutiveErrorLimit}`, '4');
  require(wholeAtLeast(
    options.minIntervals,
    1,
  ), 'min-intervals', `must be a whole number ≥ 1, got ${options.minIntervals}`, '3');
  require(options.minSamples >= 0, 'min-samples', `must be ≥ 0, got ${options.minSamples}`, '100');
  require(wholeAtLeast(
    options.maxIntervals,
    options.minIntervals,
  ), 'max-duration', `allows ${options.maxIntervals} intervals, fewer than min-intervals (${options.minIntervals}); lengthen it or shorten interval`, '30m');
  require(TIMEOUT_OUTCOMES.includes(
    options.onTimeout,
  ), 'on-timeout', `must be one of ${TIMEOUT_OUTCOMES.join(', ')}, got '${options.onTimeout}'`, 'inconclusive');
  require(options.confidence > 0.5 &&
    options.confidence < 1, 'confidence', `must be in (0.5, 1), got ${options.confidence}`, '0.98');
  require(options.pass > 0 &&
    options.pass <= 100, 'pass-score', `must be in (0, 100], got ${options.pass}`, '75');
  require(options.marginal >= 0 &&
    options.marginal <=
      options.pass, 'marginal-score', `must be between 0 and pass-score (${options.pass}), got ${options.marginal}`, '50');
  return options;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
