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

function rollbackRate(canaryErrorRate: number, runs: number, seedOffset: number): number {
  const engine = createEngine(checks, { analysis: 'sequential', alpha, maxIntervals: base.intervals });
  let rollbacks = 0;
  for (let run = 0; run < runs; run++) {
    const observations = simulateObservations({ ...base, canaryErrorRate }, seededRandom(seedOffset + run));
    if (replay(engine, observations).verdict === 'rollback') rollbacks++;
  }
  return rollbacks / runs;
}

/** One-sided 99 % binomial margin, so a correct test fails this assertion about once in a hundred seeds. */
const margin = (p: number, runs: number) => 2.33 * Math.sqrt((p * (1 - p)) / runs);

describe('sequential false rollbacks and power (seeded simulation)', () => {
  it('rolls back at most alpha of canaries sitting exactly on the tolerance boundary', () => {
    // λc = 1.1·λb is the hardest null: every rate below it is rolled back even less often.
    const runs = 400;
    expect(rollbackRate(0.011, runs, 1_000)).toBeLessThanOrEqual(alpha + margin(alpha, runs));
  });

  it('rolls back at most alpha of identical canaries (A/A)', () => {
    const runs = 400;
    expect(rollbackRate(0.01, runs, 2_000)).toBeLessThanOrEqual(alpha + margin(alpha, runs));
  });

  it('catches a doubled error rate in at least 95 % of runs', () => {
    const runs = 300;
    expect(rollbackRate(0.02, runs, 3_000)).toBeGreaterThanOrEqual(0.95 - margin(0.95, runs));
  });
});
