import { ConfigError } from '@recsys-actions/core';

export const ANALYSIS_MODES = ['threshold', 'compare', 'sequential'] as const;
export type AnalysisMode = (typeof ANALYSIS_MODES)[number];
export const TIMEOUT_OUTCOMES = ['inconclusive', 'promote'] as const;
export type TimeoutOutcome = (typeof TIMEOUT_OUTCOMES)[number];

export interface AnalysisOptions {
  readonly analysis: AnalysisMode;
  /**
   * Error rate of each sequential decision: the chance of rolling back a canary no worse than its baseline,
   * and of promoting early one beyond its tolerance.
   */
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
 * Fills in defaults and checks every option, throwing a {@link ConfigError} named by the option's key (with
 * its default as the example); an action maps keys to its inputs. `maxIntervals` has no default because only
 * the caller knows the run's length and interval.
 */
export function resolveOptions(
  given: Partial<AnalysisOptions> & Pick<AnalysisOptions, 'maxIntervals'>,
): AnalysisOptions {
  const options = { ...DEFAULT_OPTIONS, ...withoutUndefined(given), maxIntervals: given.maxIntervals };
  const require = (ok: boolean, field: keyof AnalysisOptions, problem: ConfigError['problem']) => {
    const fallback = field === 'maxIntervals' ? undefined : String(DEFAULT_OPTIONS[field]);
    if (!ok) throw new ConfigError(field, problem, fallback);
  };
  const wholeAtLeast = (value: number, min: number) => Number.isInteger(value) && value >= min;
  const whole = (field: 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit' | 'minIntervals') =>
    require(wholeAtLeast(options[field], 1), field, `must be a whole number ≥ 1, got ${options[field]}`);
  const { analysis, alpha, onTimeout, confidence, pass, marginal } = options;
  require(ANALYSIS_MODES.includes(
    analysis,
  ), 'analysis', `must be one of ${ANALYSIS_MODES.join(', ')}, got '${analysis}'`);
  require(alpha > 0 && alpha <= 0.5, 'alpha', `must be in (0, 0.5], got ${alpha}`);
  whole('failureLimit');
  whole('inconclusiveLimit');
  whole('consecutiveErrorLimit');
  whole('minIntervals');
  require(options.minSamples >= 0, 'minSamples', `must be ≥ 0, got ${options.minSamples}`);
  require(wholeAtLeast(options.maxIntervals, options.minIntervals), 'maxIntervals', (name) =>
    `allows ${options.maxIntervals} intervals, fewer than ${name('minIntervals')} (${options.minIntervals}); lengthen it or shorten ${name('intervalSeconds')}`);
  require(TIMEOUT_OUTCOMES.includes(
    onTimeout,
  ), 'onTimeout', `must be one of ${TIMEOUT_OUTCOMES.join(', ')}, got '${onTimeout}'`);
  require(confidence > 0.5 && confidence < 1, 'confidence', `must be in (0.5, 1), got ${confidence}`);
  require(pass > 0 && pass <= 100, 'pass', `must be in (0, 100], got ${pass}`);
  require(marginal >= 0 && marginal <= pass, 'marginal', (name) =>
    `must be between 0 and ${name('pass')} (${pass}), got ${marginal}`);
  return options;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
