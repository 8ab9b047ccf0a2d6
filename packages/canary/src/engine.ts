import { ConfigError, formatSignificant } from '@recsys-actions/core';
import { CHECKS_FIELD, toleranceOf, type CheckConfig, type CheckType } from './checks';
import { classifyCheck, decideCompare, type CompareResult } from './compare';
import { readInterval, type Observation, type Reading } from './observation';
import { resolveOptions, type AnalysisOptions } from './options';
import { ruleBreach } from './rules';
import {
  beyondTolerance,
  promoteEValue,
  rollbackEValue,
  startRatioTest,
  updateRatioTest,
  type RatioTest,
} from './stats/ratio-martingale';

export type CanaryVerdict = 'promote' | 'rollback' | 'inconclusive';

/** Running sums of one version: a ratio check's events and exposure, or a value check's values and intervals. */
export interface ArmTotals {
  readonly sum: number;
  readonly count: number;
}

export interface SequentialEvidence {
  /** ρ₀, the canary/baseline rate ratio the tolerance allows. */
  readonly boundary: number;
  /** Against "the canary is no worse than its baseline" (ρ = 1). */
  readonly rollbackEValue: number;
  /** Against "the canary is worse than the tolerance allows" (ρ beyond ρ₀). */
  readonly promoteEValue: number;
}

/** Everything the engine knows about one check; plain JSON so the action can publish it. */
export interface CheckEvidence {
  readonly name: string;
  readonly type: CheckType;
  readonly critical: boolean;
  readonly intervalsWithData: number;
  readonly noDataIntervals: number;
  readonly errorIntervals: number;
  /** Intervals in which a per-interval rule (bound, max-increase, ...) was breached. */
  readonly failedIntervals: number;
  readonly lastBreach?: string;
  readonly canary: ArmTotals;
  readonly baseline: ArmTotals;
  readonly sequential?: SequentialEvidence;
  readonly compare?: CompareResult;
}

/** One check in one interval, for charts: the canary's and baseline's rate or value, null without data. */
export interface IntervalPoint {
  readonly status: 'ok' | 'no-data' | 'error';
  readonly canary: number | null;
  readonly baseline: number | null;
  readonly breach?: string;
  readonly message?: string;
}

export interface IntervalRecord {
  readonly index: number;
  readonly elapsedSeconds: number;
  readonly checks: Readonly<Record<string, IntervalPoint>>;
}

/**
 * The whole analysis as an immutable value: {@link step} and {@link finish} return a new state and never
 * change the one they were given, so a run can be replayed from its observations.
 */
export interface EngineState {
  readonly checks: readonly CheckConfig[];
  readonly options: AnalysisOptions;
  readonly status: 'collecting' | 'done';
  readonly verdict?: CanaryVerdict;
  readonly reason: string;
  readonly intervals: number;
  /** Intervals in which at least one check broke a rule; each counts once however many checks broke. */
  readonly failedIntervals: number;
  readonly consecutiveErrorIntervals: number;
  /** Compare analysis: the weighted pass score once decided. */
  readonly score?: number | null;
  readonly perCheck: readonly CheckEvidence[];
  readonly history: readonly IntervalRecord[];
  readonly ratioTests: Readonly<Record<string, RatioTest>>;
}

interface Conclusion {
  readonly verdict: CanaryVerdict;
  readonly reason: string;
}

export function createEngine(
  checks: readonly CheckConfig[],
  options: Partial<AnalysisOptions> & Pick<AnalysisOptions, 'maxIntervals'>,
): EngineState {
  const resolved = resolveOptions(options);
  if (resolved.analysis === 'threshold') checks.forEach(requireThresholdRules);
  const ratioTests: Record<string, RatioTest> = {};
  if (resolved.analysis === 'sequential')
    for (const check of checks)
      if (check.type === 'ratio') ratioTests[check.name] = startRatioTest(toleranceOf(check), check.worse);
  return {
    checks,
    options: resolved,
    status: 'collecting',
    reason: `collecting: 0 of ${resolved.maxIntervals} intervals`,
    intervals: 0,
    failedIntervals: 0,
    consecutiveErrorIntervals: 0,
    perCheck: checks.map((check) => {
      const test = ratioTests[check.name];
      return {
        name: check.name,
        type: check.type,
        critical: check.critical,
        intervalsWithData: 0,
        noDataIntervals: 0,
        errorIntervals: 0,
        failedIntervals: 0,
        canary: { sum: 0, count: 0 },
        baseline: { sum: 0, count: 0 },
        ...(test && { sequential: sequentialEvidence(test) }),
      };
    }),
    history: [],
    ratioTests,
  };
}

/** Feeds one interval; the analysis ends by itself on a verdict or once maxIntervals have been seen. */
export function step(state: EngineState, observation: Observation): EngineState {
  if (state.status === 'done') throw new Error('step() called on a finished analysis');
  const readings = state.checks.map((check) => readInterval(check, observation.checks[check.name]));
  const points: Record<string, IntervalPoint> = {};
  const ratioTests = { ...state.ratioTests };
  const perCheck = state.perCheck.map((evidence, i) => {
    const check = state.checks[i] as CheckConfig;
    const reading = readings[i] as Reading;
    const breach =
      reading.status === 'ok' && judgedPerInterval(check, state.options)
        ? ruleBreach(check, reading.canary, reading.baseline)
        : undefined;
    points[check.name] = toPoint(reading, breach);
    const test = ratioTests[check.name];
    if (test && reading.status === 'ok' && reading.counts)
      ratioTests[check.name] = updateRatioTest(test, reading.counts);
    return accumulate(evidence, reading, breach, ratioTests[check.name]);
  });
  const anyError = readings.some((reading) => reading.status === 'error');
  const anyBreach = Object.values(points).some((point) => point.breach !== undefined);
  const next: EngineState = {
    ...state,
    intervals: state.intervals + 1,
    failedIntervals: state.failedIntervals + (anyBreach ? 1 : 0),
    consecutiveErrorIntervals: anyError ? state.consecutiveErrorIntervals + 1 : 0,
    perCheck,
    history: [
      ...state.history,
      { index: observation.index, elapsedSeconds: observation.elapsedSeconds, checks: points },
    ],
    ratioTests,
  };
  const conclusion = dataProblem(next) ?? decideEarly(next);
  if (conclusion) return conclude(next, conclusion);
  if (next.intervals >= next.options.maxIntervals) return finish(next);
  return { ...next, reason: `collecting: ${next.intervals} of ${next.options.maxIntervals} intervals` };
}

/** Ends the analysis at max-duration (or whenever the caller must stop) with the best verdict the data allow. */
export function finish(state: EngineState): EngineState {
  if (state.status === 'done') return state;
  const early = dataProblem(state) ?? decideEarly(state);
  if (early) return conclude(state, early);
  if (state.options.analysis === 'compare') return finishCompare(state);
  const immature = immaturity(state);
  if (immature) return conclude(state, { verdict: 'inconclusive', reason: immature });
  if (state.options.analysis === 'threshold')
    return conclude(state, {
      verdict: 'promote',
      reason: `${state.intervals} intervals with ${state.failedIntervals} failed, below failure-limit ${state.options.failureLimit}`,
    });
  return conclude(state, sequentialTimeout(state));
}

/**
 * Threshold analysis judges every check interval by interval. Sequential analysis does so only for value
 * checks: a ratio check's one-interval rate is too noisy, so its bounds gate promotion on the pooled rate.
 */
function judgedPerInterval(check: CheckConfig, options: AnalysisOptions): boolean {
  return options.analysis === 'threshold' || (options.analysis === 'sequential' && check.type === 'value');
}

function accumulate(
  evidence: CheckEvidence,
  reading: Reading,
  breach: string | undefined,
  test: RatioTest | undefined,
): CheckEvidence {
  if (reading.status === 'no-data') return { ...evidence, noDataIntervals: evidence.noDataIntervals + 1 };
  if (reading.status === 'error') return { ...evidence, errorIntervals: evidence.errorIntervals + 1 };
  const add = (totals: ArmTotals, value: number, exposure: number | undefined) =>
    exposure === undefined
      ? { sum: totals.sum + value, count: totals.count + 1 }
      : { sum: totals.sum + value * exposure, count: totals.count + exposure };
  return {
    ...evidence,
    intervalsWithData: evidence.intervalsWithData + 1,
    failedIntervals: evidence.failedIntervals + (breach ? 1 : 0),
    ...(breach && { lastBreach: breach }),
    canary: add(evidence.canary, reading.canary, reading.counts?.canaryTotal),
    baseline: add(evidence.baseline, reading.baseline, reading.counts?.baselineTotal),
    ...(test && { sequential: sequentialEvidence(test) }),
  };
}

function toPoint(reading: Reading, breach: string | undefined): IntervalPoint {
  if (reading.status !== 'ok')
    return { status: reading.status, canary: null, baseline: null, message: reading.message };
  return { status: 'ok', canary: reading.canary, baseline: reading.baseline, ...(breach && { breach }) };
}

function sequentialEvidence(test: RatioTest): SequentialEvidence {
  return {
    boundary: test.boundary,
    rollbackEValue: rollbackEValue(test),
    promoteEValue: promoteEValue(test),
  };
}

/** Missing telemetry and provider errors end the analysis as inconclusive: they are evidence of nothing. */
function dataProblem(state: EngineState): Conclusion | undefined {
  const { consecutiveErrorLimit, inconclusiveLimit } = state.options;
  if (state.consecutiveErrorIntervals >= consecutiveErrorLimit) {
    const lastErrors = Object.entries(state.history.at(-1)?.checks ?? {})
      .filter(([, point]) => point.status === 'error')
      .map(([name, point]) => `${name}: ${point.message}`);
    return {
      verdict: 'inconclusive',
      reason: `errors from telemetry in ${state.consecutiveErrorIntervals} consecutive intervals (last: ${lastErrors.join('; ')})`,
    };
  }
  const starved = state.perCheck.find((evidence) => evidence.noDataIntervals >= inconclusiveLimit);
  if (starved)
    return {
      verdict: 'inconclusive',
      reason: `no data for ${starved.name} in ${starved.noDataIntervals} intervals (inconclusive-limit ${inconclusiveLimit})`,
    };
  return undefined;
}

/** A check may decide only after minIntervals intervals with data and, for ratio checks, minSamples exposure. */
function isMature(evidence: CheckEvidence, options: AnalysisOptions): boolean {
  return (
    evidence.intervalsWithData >= options.minIntervals &&
    (evidence.type === 'value' || evidence.canary.count >= options.minSamples)
  );
}

function immaturity(state: EngineState): string | undefined {
  const young = state.perCheck.find((evidence) => !isMature(evidence, state.options));
  return (
    young &&
    `${young.intervalsWithData === 0 ? 'no' : 'not enough'} data for ${young.name}${shortfall(young, state.options)}`
  );
}

/** What a check lacks to be mature, e.g. ": 2 intervals with data, min-intervals is 3"; empty without data. */
function shortfall(evidence: CheckEvidence, { minIntervals, minSamples }: AnalysisOptions): string {
  if (evidence.intervalsWithData === 0) return '';
  if (evidence.intervalsWithData < minIntervals)
    return `: ${evidence.intervalsWithData} intervals with data, min-intervals is ${minIntervals}`;
  return `: canary total ${formatSignificant(evidence.canary.count)}, min-samples is ${minSamples}`;
}

/** Verdicts that may come before max-duration; compare analysis only ever decides at the end. */
function decideEarly(state: EngineState): Conclusion | undefined {
  if (state.options.analysis === 'threshold') return ruleRollback(state);
  if (state.options.analysis === 'sequential')
    return sequentialRollback(state) ?? ruleRollback(state) ?? sequentialPromote(state);
  return undefined;
}

function ruleRollback(state: EngineState): Conclusion | undefined {
  const failing = state.perCheck.filter(
    (evidence) => evidence.failedIntervals > 0 && isMature(evidence, state.options),
  );
  const critical = failing.find((evidence) => evidence.critical);
  if (critical)
    return { verdict: 'rollback', reason: `critical check ${critical.name} failed: ${critical.lastBreach}` };
  const { failureLimit } = state.options;
  if (failing.length === 0 || state.failedIntervals < failureLimit) return undefined;
  return {
    verdict: 'rollback',
    reason: `${state.failedIntervals} failed intervals reached failure-limit ${failureLimit} (${failing
      .map((evidence) => `${evidence.name}: ${evidence.lastBreach}`)
      .join('; ')})`,
  };
}

/** Rollback needs evidence that the canary is worse than its baseline and pooled rates beyond its tolerance. */
function sequentialRollback(state: EngineState): Conclusion | undefined {
  const bar = 1 / state.options.alpha;
  const worse = state.perCheck.find((evidence) => {
    const test = state.ratioTests[evidence.name];
    return (
      test !== undefined &&
      rollbackEValue(test) >= bar &&
      beyondTolerance(test) &&
      isMature(evidence, state.options)
    );
  });
  if (!worse?.sequential) return undefined;
  return {
    verdict: 'rollback',
    reason: `${worse.name} is worse than baseline beyond its tolerance: canary ${rateText(worse)}, e-value ${formatSignificant(
      worse.sequential.rollbackEValue,
    )} ≥ 1/alpha = ${formatSignificant(bar)}`,
  };
}

/** Early promote needs every check mature, every ratio check shown within tolerance and no rule ever broken. */
function sequentialPromote(state: EngineState): Conclusion | undefined {
  const bar = 1 / state.options.alpha;
  const cleared = state.perCheck.every(
    (evidence, i) =>
      isMature(evidence, state.options) &&
      evidence.failedIntervals === 0 &&
      withinAbsoluteBounds(state.checks[i] as CheckConfig, evidence) &&
      (evidence.sequential === undefined || evidence.sequential.promoteEValue >= bar),
  );
  if (!cleared) return undefined;
  return {
    verdict: 'promote',
    reason: `every ratio check is within tolerance at alpha ${state.options.alpha} (e-values ${state.perCheck
      .flatMap((evidence) =>
        evidence.sequential
          ? [`${evidence.name} ${formatSignificant(evidence.sequential.promoteEValue)}`]
          : [],
      )
      .join(', ')}) and no rule was broken`,
  };
}

function sequentialTimeout(state: EngineState): Conclusion {
  const failures = state.failedIntervals > 0 ? `${state.failedIntervals} failed intervals, ` : '';
  const undecided = `max-duration reached after ${state.intervals} intervals with ${failures}no evidence of a regression but none that every check is within tolerance`;
  const inBounds = state.perCheck.every((evidence, i) =>
    withinAbsoluteBounds(state.checks[i] as CheckConfig, evidence),
  );
  if (state.options.onTimeout === 'promote' && inBounds)
    return { verdict: 'promote', reason: `${undecided}; on-timeout is promote` };
  return { verdict: 'inconclusive', reason: undecided };
}

function withinAbsoluteBounds(check: CheckConfig, evidence: CheckEvidence): boolean {
  if (check.type !== 'ratio' || evidence.canary.count === 0) return true;
  const rate = evidence.canary.sum / evidence.canary.count;
  return (check.max === undefined || rate <= check.max) && (check.min === undefined || rate >= check.min);
}

/** Compare judges each mature check over its per-interval samples; an immature one is NoData, as elsewhere. */
function finishCompare(state: EngineState): EngineState {
  const scored = state.checks.map((check, i) => {
    const evidence = state.perCheck[i] as CheckEvidence;
    if (!isMature(evidence, state.options)) {
      const message = `${evidence.intervalsWithData === 0 ? 'no' : 'not enough'} data${shortfall(evidence, state.options)}`;
      const result = { classification: 'NoData', pValue: null, relativeChange: null, message } as const;
      return { check, result };
    }
    const ok = state.history
      .map((record) => record.checks[check.name])
      .filter((point) => point?.status === 'ok');
    const result = classifyCheck(
      check,
      ok.map((point) => point?.canary as number),
      ok.map((point) => point?.baseline as number),
      state.options,
    );
    return { check, result };
  });
  const decision = decideCompare(scored, state.options);
  return conclude(
    {
      ...state,
      score: decision.score,
      perCheck: state.perCheck.map((evidence, i) => ({ ...evidence, compare: scored[i]?.result })),
    },
    decision,
  );
}

function conclude(state: EngineState, conclusion: Conclusion): EngineState {
  return { ...state, status: 'done', verdict: conclusion.verdict, reason: conclusion.reason };
}

function rateText(evidence: CheckEvidence): string {
  const rate = (totals: ArmTotals) =>
    totals.count === 0 ? 'n/a' : formatSignificant(totals.sum / totals.count);
  return `${rate(evidence.canary)} vs baseline ${rate(evidence.baseline)}`;
}

/**
 * Threshold analysis judges a ratio check's rate interval by interval against absolute bounds. It needs one,
 * and refuses a tolerance rather than ignore it: one interval's rate is too noisy to hold against the baseline's.
 */
function requireThresholdRules(check: CheckConfig, index: number): void {
  if (check.type !== 'ratio') return;
  const problem = (what: string) =>
    new ConfigError(
      CHECKS_FIELD,
      `is invalid at ${CHECKS_FIELD}[${index}]: ratio check ${check.name} ${what}`,
      `[{ name: ${check.name}, type: ratio, ..., max: 0.02 }]`,
    );
  if (check.tolerance !== undefined)
    throw problem(
      `sets tolerance ${check.tolerance}, which analysis: threshold cannot apply (it judges each interval against absolute bounds only); remove tolerance and set max or min, or use analysis: sequential or compare`,
    );
  if (check.max === undefined && check.min === undefined)
    throw problem(
      'needs max or min under analysis: threshold, which judges each interval against absolute bounds',
    );
}
