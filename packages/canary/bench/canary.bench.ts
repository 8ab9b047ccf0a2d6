/**
 * Canary-judgement simulation: how often each analysis rolls back a healthy canary, how often it catches a
 * regression and how fast. Deterministic (seeded); run with `pnpm exec tsx packages/canary/bench/canary.bench.ts`.
 *
 * Traffic: 50 req/s, 10 % to the canary, baseline error rate 1 %, 60 s intervals, max-duration 30 min.
 * Threshold analysis uses `max: 0.02` (twice the baseline's error rate, a common SLO-style bound) with
 * failure-limit 2; compare and sequential use the default tolerance 0.1. Every analysis sees the same traffic.
 *
 * Compare only decides at the end of its window, so its time to rollback is the window itself. For a fair
 * peer we rerun compare with every fixed window from min-intervals to 30 minutes and take the shortest one at
 * which it catches the regression as often as sequential did (the same power), printed beside sequential's
 * median time as a ratio. Targets (PASS/FAIL): at most alpha false rollbacks on A/A, a median of at most 4 min
 * to roll back 2x, and at least 80 % of 1.5x regressions caught within the 30 minutes.
 */
import { createEngine, parseChecks, type AnalysisMode, type EngineState } from '../src/index';
import { replay, seededRandom, simulateObservations, type Scenario } from './simulation';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 1000);
const MAX_INTERVALS = 30;
const ALPHA = 0.05;
/** The targets for the sequential test on this traffic. */
const TARGET_2X_MINUTES = 4;
const TARGET_15X_POWER = 0.8;
const traffic: Omit<Scenario, 'canaryErrorRate'> = {
  requestsPerSecond: 50,
  canaryShare: 0.1,
  baselineErrorRate: 0.01,
  intervalSeconds: 60,
  intervals: MAX_INTERVALS,
};
// 1.1x sits exactly on the default tolerance: no regression the gate must catch, and no guarantee either way.
const SCENARIOS = [
  { label: 'A/A', canaryErrorRate: 0.01 },
  { label: '1.1x', canaryErrorRate: 0.011 },
  { label: '1.5x', canaryErrorRate: 0.015 },
  { label: '2x', canaryErrorRate: 0.02 },
  { label: '3x', canaryErrorRate: 0.03 },
];
const MODES: readonly AnalysisMode[] = ['threshold', 'compare', 'sequential'];

const checks = parseChecks([
  { name: 'error-rate', type: 'ratio', bad: 'errors', total: 'requests', max: 0.02 },
]);
const engineFor = (analysis: AnalysisMode, maxIntervals = MAX_INTERVALS): EngineState =>
  createEngine(checks, { analysis, alpha: ALPHA, maxIntervals });

interface Outcome {
  readonly rollbackRate: number;
  readonly medianMinutes: number | null;
}

function outcome(states: readonly EngineState[]): Outcome {
  const minutes = states
    .filter((state) => state.verdict === 'rollback')
    .map((state) => (state.history.at(-1)?.elapsedSeconds ?? 0) / 60)
    .sort((a, b) => a - b);
  return {
    rollbackRate: minutes.length / states.length,
    medianMinutes: minutes.length === 0 ? null : (minutes[Math.floor((minutes.length - 1) / 2)] as number),
  };
}

const started = performance.now();
const results = SCENARIOS.map(({ label, canaryErrorRate }, scenarioIndex) => {
  const runs = Array.from({ length: SEEDS }, (_, seed) =>
    simulateObservations({ ...traffic, canaryErrorRate }, seededRandom(1 + seed + scenarioIndex * 1_000_003)),
  );
  const byMode = Object.fromEntries(
    MODES.map((mode) => {
      const engine = engineFor(mode);
      return [mode, outcome(runs.map((observations) => replay(engine, observations)))];
    }),
  ) as Record<AnalysisMode, Outcome>;
  const power = byMode.sequential.rollbackRate;
  const regression = canaryErrorRate >= 0.015;
  return { label, byMode, compareWindow: regression ? shortestCompareWindow(runs, power) : null };
});

/** The shortest fixed compare window (in intervals) catching the regression in at least `power` of runs. */
function shortestCompareWindow(
  runs: ReturnType<typeof simulateObservations>[],
  power: number,
): number | null {
  for (let window = 3; window <= MAX_INTERVALS; window++) {
    const engine = engineFor('compare', window);
    const caught = runs.filter(
      (observations) => replay(engine, observations.slice(0, window)).verdict === 'rollback',
    );
    if (caught.length / runs.length >= power) return window;
  }
  return null;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const minutes = (value: number | null) => (value === null ? '-' : `${value} min`);
console.log(
  `canary simulation: ${SEEDS} seeds per scenario, alpha ${ALPHA}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log('');
console.log(`| analysis   | ${results.map(({ label }) => label.padEnd(22)).join(' | ')} |`);
console.log(`| ---------- | ${results.map(() => '-'.repeat(22)).join(' | ')} |`);
for (const mode of MODES)
  console.log(
    `| ${mode.padEnd(10)} | ${results
      .map(({ label, byMode }) => {
        const { rollbackRate, medianMinutes } = byMode[mode];
        const cell =
          label === 'A/A'
            ? `${percent(rollbackRate)} false`
            : label === '1.1x'
              ? `${percent(rollbackRate)}`
              : `${percent(rollbackRate)}, ${minutes(medianMinutes)}`;
        return cell.padEnd(22);
      })
      .join(' | ')} |`,
  );
console.log(
  '(A/A: false-rollback rate; 1.1x, on the tolerance: rollback rate; regressions: detection rate, median time to rollback)',
);
console.log('');

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
/** Sequential's median time beside compare's fixed window at the power sequential reached, as a ratio. */
function peer(label: string): string {
  const result = results.find((candidate) => candidate.label === label);
  const sequential = result?.byMode.sequential;
  const window = result?.compareWindow ?? null;
  const ratio =
    sequential?.medianMinutes == null || window === null
      ? 'n/a'
      : (sequential.medianMinutes / window).toFixed(2);
  const needs = window === null ? `more than ${MAX_INTERVALS} min` : `${window} min`;
  return `compare needs ${needs} for the same ${percent(sequential?.rollbackRate ?? 0)} power (ratio ${ratio})`;
}
const sequentialOf = (label: string) =>
  results.find((result) => result.label === label)?.byMode.sequential ?? {
    rollbackRate: 1,
    medianMinutes: null,
  };
const aa = sequentialOf('A/A');
const doubled = sequentialOf('2x');
const half = sequentialOf('1.5x');
console.log(
  `${verdict(aa.rollbackRate <= ALPHA)}  false rollbacks on A/A under continuous monitoring: ${percent(aa.rollbackRate)} ≤ alpha ${percent(ALPHA)}`,
);
console.log(
  `${verdict(doubled.medianMinutes !== null && doubled.medianMinutes <= TARGET_2X_MINUTES)}  2x rolled back after a median ${minutes(doubled.medianMinutes)} ≤ ${TARGET_2X_MINUTES} min; ${peer('2x')}`,
);
console.log(
  `${verdict(half.rollbackRate >= TARGET_15X_POWER)}  1.5x caught in ${percent(half.rollbackRate)} ≥ ${percent(TARGET_15X_POWER)} within ${MAX_INTERVALS} min (median ${minutes(half.medianMinutes)}); ${peer('1.5x')}`,
);
