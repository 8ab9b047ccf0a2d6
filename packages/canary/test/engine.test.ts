import { ConfigError } from '@recsys-actions/core';
import {
  chartSeries,
  createEngine,
  finish,
  parseChecks,
  step,
  toReportChecks,
  type AnalysisOptions,
  type EngineState,
  type Observation,
  type Sample,
} from '../src/index';

const errorRate = { name: 'error-rate', type: 'ratio', bad: 'errors', total: 'requests', max: 0.05 };
const latency = { name: 'latency', type: 'value', query: 'p99', max: 0.5, 'max-increase': 0.2 };

function engine(checks: unknown[], options: Partial<AnalysisOptions> = {}): EngineState {
  return createEngine(parseChecks(checks), { maxIntervals: 10, minSamples: 0, ...options });
}

const ratio = (events: number, total: number): Sample => ({ kind: 'ratio', events, total });
const value = (v: number): Sample => ({ kind: 'value', value: v });
const noData: Sample = { kind: 'no-data' };

/** Observations of `pairs[i]` for interval i, one minute apart. */
function observations(pairs: Record<string, [Sample, Sample]>[]): Observation[] {
  return pairs.map((checks, index) => ({
    index,
    elapsedSeconds: 60 * (index + 1),
    checks: Object.fromEntries(
      Object.entries(checks).map(([name, [canary, baseline]]) => [name, { canary, baseline }]),
    ),
  }));
}

/** Steps through the intervals, stopping at the verdict as the action does. */
function run(state: EngineState, pairs: Record<string, [Sample, Sample]>[]): EngineState {
  return observations(pairs).reduce(
    (current, observation) => (current.status === 'done' ? current : step(current, observation)),
    state,
  );
}

const repeat = <T>(count: number, item: T): T[] => Array.from({ length: count }, () => item);
const healthy = { 'error-rate': [ratio(1, 100), ratio(1, 100)] as [Sample, Sample] };
const failing = { 'error-rate': [ratio(10, 100), ratio(1, 100)] as [Sample, Sample] };

describe('threshold analysis', () => {
  it('rolls back once failed intervals reach failure-limit, but not before min-intervals', () => {
    const start = engine([errorRate], { analysis: 'threshold' });
    const afterTwo = run(start, [failing, failing]);
    expect(afterTwo).toMatchObject({ status: 'collecting', failedIntervals: 2 });
    const afterThree = run(afterTwo, [healthy]);
    expect(afterThree.status).toBe('done');
    expect(afterThree.verdict).toBe('rollback');
    expect(afterThree.reason).toBe(
      '2 failed intervals reached failure-limit 2 (error-rate: 0.1 above max 0.05)',
    );
  });

  it('counts an interval once however many checks fail in it', () => {
    const state = run(engine([errorRate, latency], { analysis: 'threshold', failureLimit: 3 }), [
      { 'error-rate': failing['error-rate'], latency: [value(0.9), value(0.3)] },
      { 'error-rate': healthy['error-rate'], latency: [value(0.3), value(0.3)] },
    ]);
    expect(state.failedIntervals).toBe(1);
    expect(state.perCheck.map((evidence) => evidence.failedIntervals)).toEqual([1, 1]);
    expect(state.history[0]?.checks.latency?.breach).toBe('0.9 above max 0.5');
  });

  it('applies max-increase relative to the baseline to value checks', () => {
    const state = run(engine([latency], { analysis: 'threshold', failureLimit: 5 }), [
      { latency: [value(0.36), value(0.3)] },
      { latency: [value(0.37), value(0.3)] },
    ]);
    expect(state.perCheck[0]?.failedIntervals).toBe(1);
    expect(state.perCheck[0]?.lastBreach).toBe('0.37 is 23.33 % above baseline 0.3 (max-increase 0.2)');
  });

  it('promotes at max intervals with failures below the limit', () => {
    const state = run(engine([errorRate], { analysis: 'threshold', maxIntervals: 4 }), [
      failing,
      ...repeat(3, healthy),
    ]);
    expect(state).toMatchObject({ status: 'done', verdict: 'promote', intervals: 4 });
    expect(state.reason).toBe('4 intervals with 1 failed, below failure-limit 2');
  });

  it('rolls back on the first failure of a critical check once it has min-intervals of data', () => {
    const checks = [{ ...errorRate, critical: true }];
    const state = run(engine(checks, { analysis: 'threshold', failureLimit: 5 }), [
      healthy,
      healthy,
      failing,
    ]);
    expect(state.verdict).toBe('rollback');
    expect(state.reason).toBe('critical check error-rate failed: 0.1 above max 0.05');
  });

  it('needs an absolute bound on every ratio check', () => {
    const unbounded = () => engine([{ ...errorRate, max: undefined }], { analysis: 'threshold' });
    expect(unbounded).toThrow(ConfigError);
    expect(unbounded).toThrow(
      /^checks is invalid at checks\[0\]: ratio check error-rate needs max or min under analysis: threshold/,
    );
  });

  it('refuses a ratio check tolerance rather than silently ignoring it', () => {
    const tolerant = () => engine([{ ...errorRate, tolerance: 0.2 }], { analysis: 'threshold' });
    expect(tolerant).toThrow(ConfigError);
    expect(tolerant).toThrow(
      'checks is invalid at checks[0]: ratio check error-rate sets tolerance 0.2, which analysis: threshold cannot apply (it judges each interval against absolute bounds only); remove tolerance and set max or min, or use analysis: sequential or compare',
    );
    expect(() => engine([{ ...errorRate, tolerance: 0.2 }], { analysis: 'compare' })).not.toThrow();
  });
});

describe('minimum samples, missing data and errors', () => {
  it('ends inconclusive when max intervals pass before min-samples is reached', () => {
    const state = run(engine([errorRate], { analysis: 'threshold', maxIntervals: 3, minSamples: 1000 }), [
      ...repeat(3, healthy),
    ]);
    expect(state.verdict).toBe('inconclusive');
    expect(state.reason).toBe('not enough data for error-rate: canary total 300, min-samples is 1000');
  });

  it('counts missing samples and absent checks as no data, ending inconclusive at the limit', () => {
    const start = engine([errorRate, latency], { inconclusiveLimit: 3 });
    const state = run(start, [
      { 'error-rate': healthy['error-rate'], latency: [noData, value(0.3)] },
      { 'error-rate': healthy['error-rate'] },
      { 'error-rate': healthy['error-rate'], latency: [value(0.3), noData] },
    ]);
    expect(state.verdict).toBe('inconclusive');
    expect(state.reason).toBe('no data for latency in 3 intervals (inconclusive-limit 3)');
    expect(state.history.map((record) => record.checks.latency?.message)).toEqual([
      'canary: no data',
      'no data: telemetry returned nothing',
      'baseline: no data',
    ]);
  });

  it('counts a NaN value as an erroring interval and says why, never as a clean one', () => {
    const nan = {
      'error-rate': healthy['error-rate'],
      latency: [value(Number.NaN), value(0.3)] as [Sample, Sample],
    };
    const start = engine([errorRate, latency], { consecutiveErrorLimit: 2 });
    const state = run(start, [nan, nan]);
    expect(state.verdict).toBe('inconclusive');
    expect(state.reason).toBe(
      'errors from telemetry in 2 consecutive intervals (last: latency: canary: the query returned NaN, which cannot be judged (PromQL returns it for 0/0, e.g. a quantile over an interval without requests))',
    );
    expect(state.perCheck[1]).toMatchObject({ errorIntervals: 2, noDataIntervals: 0, intervalsWithData: 0 });
  });

  it.each(['threshold', 'sequential'] as const)(
    'judges a +Inf value (a quantile in the top bucket) as above max under %s analysis',
    (analysis) => {
      const slow = {
        'error-rate': healthy['error-rate'],
        latency: [value(Infinity), value(0.3)] as [Sample, Sample],
      };
      const fast = {
        'error-rate': healthy['error-rate'],
        latency: [value(0.3), value(0.3)] as [Sample, Sample],
      };
      const state = run(engine([errorRate, latency], { analysis, failureLimit: 2 }), [slow, fast, slow]);
      expect(state.verdict).toBe('rollback');
      expect(state.reason).toBe(
        '2 failed intervals reached failure-limit 2 (latency: Infinity above max 0.5)',
      );
      expect(toReportChecks(state)[1]).toMatchObject({ status: 'fail', value: null, baseline: 0.3 });
    },
  );

  it('never promotes a check that had no data at all', () => {
    const state = run(engine([errorRate], { analysis: 'threshold', maxIntervals: 3, inconclusiveLimit: 5 }), [
      { 'error-rate': [ratio(0, 0), ratio(1, 100)] },
      { 'error-rate': [noData, noData] },
      {},
    ]);
    expect(state.verdict).toBe('inconclusive');
    expect(state.reason).toBe('no data for error-rate');
    expect(toReportChecks(state)[0]).toMatchObject({ status: 'no-data', message: 'no data in 3 intervals' });
  });

  it('ends inconclusive after consecutive provider errors, and a clean interval resets the count', () => {
    const broken = {
      'error-rate': [{ kind: 'error', message: 'HTTP 503' }, ratio(1, 100)] as [Sample, Sample],
    };
    const start = engine([errorRate], { consecutiveErrorLimit: 2 });
    const interrupted = run(start, [broken, healthy, broken]);
    expect(interrupted).toMatchObject({ status: 'collecting', consecutiveErrorIntervals: 1 });
    const state = run(interrupted, [broken]);
    expect(state.verdict).toBe('inconclusive');
    expect(state.reason).toBe(
      'errors from telemetry in 2 consecutive intervals (last: error-rate: canary: HTTP 503)',
    );
  });

  it('treats negative counts as a provider error', () => {
    const state = run(engine([errorRate]), [{ 'error-rate': [ratio(-1, 100), ratio(1, 100)] }]);
    expect(state.history[0]?.checks['error-rate']).toMatchObject({
      status: 'error',
      message: 'canary: counts must be finite and ≥ 0, got -1/100',
    });
  });

  it('refuses a sample of the wrong kind as a bug of the caller', () => {
    expect(() => run(engine([errorRate]), [{ 'error-rate': [value(1), value(1)] }])).toThrow(
      "check 'error-rate' is a ratio check but was fed a value sample",
    );
  });
});

describe('sequential analysis', () => {
  const tolerant = { name: 'error-rate', type: 'ratio', bad: 'errors', total: 'requests' };

  it('rolls back a clear regression as soon as the e-value reaches 1/alpha', () => {
    const state = run(
      engine([tolerant], { maxIntervals: 30 }),
      repeat(30, {
        'error-rate': [ratio(30, 1000), ratio(100, 10_000)] as [Sample, Sample],
      }),
    );
    expect(state.verdict).toBe('rollback');
    expect(state.intervals).toBeLessThan(6);
    expect(state.perCheck[0]?.sequential?.rollbackEValue).toBeGreaterThanOrEqual(20);
    expect(state.reason).toMatch(
      /^error-rate is worse than baseline beyond its tolerance: canary 0.03 vs baseline 0.01, e-value .* ≥ 1\/alpha = 20$/,
    );
  });

  it('promotes early when the canary is shown within tolerance and inside its bounds', () => {
    const same = { 'error-rate': [ratio(1000, 100_000), ratio(1000, 100_000)] as [Sample, Sample] };
    const state = run(engine([{ ...tolerant, max: 0.05 }], { maxIntervals: 30 }), repeat(30, same));
    expect(state.verdict).toBe('promote');
    expect(state.intervals).toBeLessThan(30);
    expect(state.perCheck[0]?.sequential?.promoteEValue).toBeGreaterThanOrEqual(20);
  });

  it('does not promote early, nor on timeout, when the pooled rate breaks an absolute bound', () => {
    const same = { 'error-rate': [ratio(1000, 10_000), ratio(1000, 10_000)] as [Sample, Sample] };
    const state = run(
      engine([{ ...tolerant, max: 0.05 }], { maxIntervals: 10, onTimeout: 'promote' }),
      repeat(10, same),
    );
    expect(state.verdict).toBe('inconclusive');
  });

  it('waits out max-duration without evidence: inconclusive, or promote when on-timeout says so', () => {
    const quiet = repeat(5, { 'error-rate': [ratio(1, 100), ratio(1, 100)] as [Sample, Sample] });
    const inconclusive = run(engine([tolerant], { maxIntervals: 5 }), quiet);
    expect(inconclusive.verdict).toBe('inconclusive');
    expect(inconclusive.reason).toBe(
      'max-duration reached after 5 intervals with no evidence of a regression but none that every check is within tolerance',
    );
    const promoted = run(engine([tolerant], { maxIntervals: 5, onTimeout: 'promote' }), quiet);
    expect(promoted.verdict).toBe('promote');
    expect(promoted.reason).toMatch(/; on-timeout is promote$/);
  });

  it('mirrors the test for good/total checks: a lower click rate is worse', () => {
    const ctr = { name: 'ctr', type: 'ratio', good: 'clicks', total: 'impressions' };
    const lower = repeat(10, { ctr: [ratio(300, 10_000), ratio(500, 10_000)] as [Sample, Sample] });
    const higher = repeat(10, { ctr: [ratio(700, 10_000), ratio(500, 10_000)] as [Sample, Sample] });
    expect(run(engine([ctr]), lower).verdict).toBe('rollback');
    const better = run(engine([ctr]), higher);
    expect(better.verdict).toBe('promote');
    expect(better.perCheck[0]?.sequential?.boundary).toBe(0.9);
  });

  it('does not roll back a canary shown worse than baseline but within its tolerance', () => {
    // 40 % more errors on 100 000 requests an interval: clearly worse than baseline, yet within 50 %.
    const worse = { 'error-rate': [ratio(1400, 100_000), ratio(1000, 100_000)] as [Sample, Sample] };
    const state = run(engine([{ ...tolerant, tolerance: 0.5 }], { maxIntervals: 20 }), repeat(20, worse));
    expect(state.perCheck[0]?.sequential?.rollbackEValue).toBeGreaterThan(20);
    expect(state.verdict).not.toBe('rollback');
    expect(toReportChecks(state)[0]).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(
        /^worse than baseline \(rollback e-value .* ≥ 20\) but within tolerance so far$/,
      ),
    });
  });

  it('judges value checks by their per-interval rules', () => {
    const state = run(
      engine([tolerant, latency], { maxIntervals: 10 }),
      repeat(3, {
        'error-rate': healthy['error-rate'],
        latency: [value(0.6), value(0.3)] as [Sample, Sample],
      }),
    );
    expect(state.verdict).toBe('rollback');
    expect(state.reason).toBe('3 failed intervals reached failure-limit 2 (latency: 0.6 above max 0.5)');
  });
});

describe('compare analysis', () => {
  const jitter = (i: number) => ((i * 7) % 5) / 1000;
  const stream = (checks: Record<string, (i: number) => [Sample, Sample]>, count: number) =>
    Array.from({ length: count }, (_, i) =>
      Object.fromEntries(Object.entries(checks).map(([k, f]) => [k, f(i)])),
    );
  const tolerant = { name: 'error-rate', type: 'ratio', bad: 'errors', total: 'requests' };
  const worse = (i: number): [Sample, Sample] => [ratio(30 + (i % 3), 1000), ratio(10 + (i % 3), 1000)];
  const same = (i: number): [Sample, Sample] => [ratio(10 + (i % 3), 1000), ratio(10 + ((i + 1) % 3), 1000)];

  it('decides only at the end of the window, by the weighted score', () => {
    const checks = [
      { ...tolerant, name: 'a', weight: 3 },
      { ...tolerant, name: 'b' },
      { name: 'c', type: 'value', query: 'q', 'max-increase': 0.1 },
    ];
    const pairs = stream(
      { a: same, b: worse, c: (i) => [value(0.3 + jitter(i)), value(0.3 + jitter(i + 1))] },
      10,
    );
    const collecting = run(engine(checks, { analysis: 'compare' }), pairs.slice(0, 9));
    expect(collecting.status).toBe('collecting');
    const state = run(collecting, pairs.slice(9));
    expect(state.verdict).toBe('promote');
    expect(state.score).toBe(80);
    expect(state.perCheck.map((evidence) => evidence.compare?.classification)).toEqual([
      'Pass',
      'High',
      'Pass',
    ]);
    expect(state.reason).toBe('score 80 reaches pass 75');
  });

  it('is inconclusive between the marginal and pass scores and rolls back below marginal', () => {
    const checks = [
      { ...tolerant, name: 'a' },
      { ...tolerant, name: 'b', weight: 1.5 },
    ];
    const marginal = run(
      engine(checks, { analysis: 'compare', pass: 70, marginal: 40 }),
      stream({ a: same, b: worse }, 10),
    );
    expect(marginal).toMatchObject({ verdict: 'inconclusive', score: 40 });
    const failed = run(
      engine(checks, { analysis: 'compare', pass: 70, marginal: 50 }),
      stream({ a: same, b: worse }, 10),
    );
    expect(failed).toMatchObject({ verdict: 'rollback', reason: 'score 40 is below marginal 50' });
  });

  it('rolls back when a critical check is not Pass, whatever the score', () => {
    const checks = [
      { ...tolerant, name: 'a', weight: 9 },
      { ...tolerant, name: 'b', critical: true },
    ];
    const state = run(engine(checks, { analysis: 'compare' }), stream({ a: same, b: worse }, 10));
    expect(state.verdict).toBe('rollback');
    expect(state.reason).toBe(
      // p as scipy.stats.mannwhitneyu(method='asymptotic') gives it: 0.00014851...
      'critical check b is High: significantly higher (p = 0.0001485, mean change 183.5 %)',
    );
  });

  it('honours min-samples: a check with too little canary traffic is NoData, never Pass', () => {
    const thin = (i: number): [Sample, Sample] => [ratio(i % 2, 2), ratio(10 + (i % 3), 1000)];
    const state = run(
      engine([tolerant], { analysis: 'compare', minSamples: 100, maxIntervals: 10 }),
      stream({ 'error-rate': thin }, 10),
    );
    expect(state).toMatchObject({ verdict: 'inconclusive', score: null });
    expect(state.perCheck[0]?.compare).toMatchObject({
      classification: 'NoData',
      message: 'not enough data: canary total 20, min-samples is 100',
    });
  });

  it('honours min-intervals counted over intervals with data', () => {
    const pairs = stream({ 'error-rate': same }, 10).map((pair, i) => (i < 6 ? {} : pair));
    const state = run(
      engine([tolerant], { analysis: 'compare', minIntervals: 5, inconclusiveLimit: 20 }),
      pairs,
    );
    expect(state.verdict).toBe('inconclusive');
    expect(state.perCheck[0]?.compare?.message).toBe(
      'not enough data: 4 intervals with data, min-intervals is 5',
    );
  });

  it('never promotes with a check lacking data', () => {
    const checks = [
      { ...tolerant, name: 'a' },
      { ...tolerant, name: 'b' },
    ];
    const state = finish(
      run(engine(checks, { analysis: 'compare', inconclusiveLimit: 20 }), stream({ a: same }, 10)),
    );
    expect(state).toMatchObject({
      verdict: 'inconclusive',
      score: 100,
      reason: 'score 100, but no data for b',
    });
  });
});

describe('engine state', () => {
  it('is never changed by step, so replays give identical results', () => {
    const start = engine([errorRate, latency]);
    const snapshot = JSON.stringify(start);
    const pairs = repeat(4, { ...healthy, latency: [value(0.3), value(0.3)] as [Sample, Sample] });
    const first = run(start, pairs);
    expect(JSON.stringify(start)).toBe(snapshot);
    expect(JSON.stringify(run(start, pairs))).toBe(JSON.stringify(first));
  });

  it('refuses observations after the verdict', () => {
    const done = finish(engine([errorRate]));
    expect(() => step(done, observations([healthy])[0] as Observation)).toThrow('finished analysis');
  });

  it('reports one row per check and chartable series', () => {
    const state = run(
      engine([errorRate, latency], { analysis: 'threshold', maxIntervals: 3, failureLimit: 3 }),
      [
        { 'error-rate': [ratio(2, 100), ratio(1, 100)], latency: [value(0.9), value(0.3)] },
        { 'error-rate': [ratio(4, 100), ratio(1, 100)], latency: [value(0.3), value(0.3)] },
        { 'error-rate': [noData, ratio(1, 100)], latency: [value(0.3), value(0.3)] },
      ],
    );
    expect(state.verdict).toBe('inconclusive');
    expect(toReportChecks(state)).toEqual([
      {
        name: 'error-rate',
        status: 'pass',
        severity: 'warning',
        value: 0.03,
        baseline: 0.01,
        threshold: '≤ 0.05',
        message: 'within its rules in every interval',
      },
      {
        name: 'latency',
        status: 'warn',
        severity: 'warning',
        value: 0.5,
        baseline: 0.3,
        threshold: '≤ 0.5, ≤ baseline + 20 %',
        message: 'broke its rules in 1 intervals, last: 0.9 above max 0.5',
      },
    ]);
    expect(chartSeries(state)['error-rate']).toEqual({
      elapsedSeconds: [60, 120, 180],
      canary: [0.02, 0.04, null],
      baseline: [0.01, 0.01, null],
    });
  });
});

describe('options', () => {
  it.each([
    [{ alpha: 0 }, 'alpha', 'alpha must be in (0, 0.5], got 0'],
    [{ alpha: 0.6 }, 'alpha', 'alpha must be in (0, 0.5], got 0.6'],
    [
      { minIntervals: 12 },
      'maxIntervals',
      'maxIntervals allows 10 intervals, fewer than minIntervals (12); lengthen it or shorten intervalSeconds',
    ],
    [
      { analysis: 'bayes' as never },
      'analysis',
      "analysis must be one of threshold, compare, sequential, got 'bayes'",
    ],
    [{ pass: 40 }, 'marginal', 'marginal must be between 0 and pass (40), got 50'],
  ])('rejects %j as a ConfigError naming the option, never an action input', (options, field, message) => {
    const error = (() => {
      try {
        engine([errorRate], options);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field, message });
  });

  it('suggests the default as the example', () => {
    expect(() => engine([errorRate], { alpha: 0 })).toThrow(expect.objectContaining({ example: '0.05' }));
  });
});
