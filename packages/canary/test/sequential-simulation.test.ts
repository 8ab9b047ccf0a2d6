import { createEngine, parseChecks } from '../src/index';
import { replay, seededRandom, simulateObservations, type Scenario } from '../bench/simulation';

// Modest traffic keeps the runs fast; the benchmark covers the full scenario with more seeds.
const base: Scenario = {
  requestsPerSecond: 50,
  canaryShare: 0.1,
  baselineErrorRate: 0.01,
  canaryErrorRate: 0.01,
  intervalSeconds: 60,
  intervals: 30,
};
const alpha = 0.05;
const checks = parseChecks([
  { name: 'error-rate', type: 'ratio', bad: 'errors', total: 'requests', tolerance: 0.1 },
]);

function verdictRate(
  verdict: string,
  canaryErrorRate: number,
  runs: number,
  seedOffset: number,
  traffic: Partial<Scenario> = {},
  checksFor = checks,
): number {
  const engine = createEngine(checksFor, { analysis: 'sequential', alpha, maxIntervals: base.intervals });
  let hits = 0;
  for (let run = 0; run < runs; run++) {
    const scenario = { ...base, ...traffic, canaryErrorRate };
    const observations = simulateObservations(scenario, seededRandom(seedOffset + run));
    if (replay(engine, observations).verdict === verdict) hits++;
  }
  return hits / runs;
}

/** One-sided 99 % binomial margin, so a correct test fails this assertion about once in a hundred seeds. */
const margin = (p: number, runs: number) => 2.33 * Math.sqrt((p * (1 - p)) / runs);

// Validity under continuous monitoring: the engine looks at the e-values after every interval, as the action does.
describe('sequential false rollbacks, false promotes and power (seeded simulation)', () => {
  it('rolls back at most alpha of identical canaries (A/A)', () => {
    const runs = 400;
    expect(verdictRate('rollback', 0.01, runs, 2_000)).toBeLessThanOrEqual(alpha + margin(alpha, runs));
  });

  it.each([
    ['an even split at 1 % errors', { requestsPerSecond: 15, canaryShare: 0.5, baselineErrorRate: 0.01 }],
    ['a 5 % canary at 5 % errors', { requestsPerSecond: 20, canaryShare: 0.05, baselineErrorRate: 0.05 }],
  ])('rolls back at most alpha of identical canaries with %s', (_label, traffic) => {
    const runs = 300;
    const rate = verdictRate('rollback', traffic.baselineErrorRate, runs, 5_000, traffic);
    expect(rate).toBeLessThanOrEqual(alpha + margin(alpha, runs));
  });

  it('rolls back at most alpha of identical canaries on a good/total check, where lower is worse', () => {
    const clicks = parseChecks([{ name: 'error-rate', type: 'ratio', good: 'clicks', total: 'impressions' }]);
    const runs = 300;
    const traffic = { baselineErrorRate: 0.05 };
    const rate = verdictRate('rollback', 0.05, runs, 6_000, traffic, clicks);
    expect(rate).toBeLessThanOrEqual(alpha + margin(alpha, runs));
    // and it still catches a halved click rate
    expect(verdictRate('rollback', 0.025, 100, 7_000, traffic, clicks)).toBeGreaterThanOrEqual(0.9);
  });

  it('rolls back even fewer canaries that are better than their baseline', () => {
    const runs = 400;
    expect(verdictRate('rollback', 0.008, runs, 4_000)).toBeLessThanOrEqual(alpha + margin(alpha, runs));
  });

  it('promotes at most alpha of canaries sitting exactly on the tolerance boundary', () => {
    // λc = 1.1·λb is the hardest case for the promote test: every worse rate is promoted even less often.
    const runs = 400;
    expect(verdictRate('promote', 0.011, runs, 1_000)).toBeLessThanOrEqual(alpha + margin(alpha, runs));
  });

  it('catches a doubled error rate in at least 95 % of runs', () => {
    const runs = 300;
    expect(verdictRate('rollback', 0.02, runs, 3_000)).toBeGreaterThanOrEqual(0.95 - margin(0.95, runs));
  });
});
