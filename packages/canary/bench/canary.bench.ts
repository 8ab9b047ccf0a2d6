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
 * which it catches the regression as often as the 95 % power target; sequential must need at most half that.
 */
import { createEngine, parseChecks, type AnalysisMode, type EngineState } from '../src/index';
import { replay, seededRandom, simulateObservations, type Scenario } from './simulation';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 1000);
const MAX_INTERVALS = 30;
const ALPHA = 0.05;
const POWER_TARGET = 0.95;
const traffic: Omit<Scenario, 'canaryErrorRate'> = {
  requestsPerSecond: 50,
  canaryShare: 0.1,
  baselineErrorRate: 0.01,
  intervalSeconds: 60,
  intervals: MAX_INTERVALS,
};
const SCENARIOS = [
  { label: 'A/A', canaryErrorRate: 0.01 },
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
  return { label, byMode, compareWindow: label === 'A/A' ? null : shortestCompareWindow(runs) };
});

/** The shortest fixed compare window (in intervals) catching the regression in at least POWER_TARGET of runs. */
function shortestCompareWindow(runs: ReturnType<typeof simulateObservations>[]): number | null {
  for (let window = 3; window <= MAX_INTERVALS; window++) {
    const engine = engineFor('compare', window);
    const caught = runs.filter(
      (observations) => replay(engine, observations.slice(0, window)).verdict === 'rollback',
    );
    if (caught.length / runs.length >= POWER_TARGET) return window;
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
            : `${percent(rollbackRate)}, ${minutes(medianMinutes)}`;
        return cell.padEnd(22);
      })
      .join(' | ')} |`,
  );
console.log('(A/A: false-rollback rate; regressions: detection rate, median time to rollback)');
console.log('');
for (const { label, compareWindow } of results.slice(1))
  console.log(
    `${label}: compare needs a ${compareWindow === null ? `> ${MAX_INTERVALS}` : compareWindow} min window for ${percent(POWER_TARGET)} power`,
  );
console.log('');

const [aa, , doubled] = results;
const sequentialAA = aa?.byMode.sequential.rollbackRate ?? 1;
const sequential2x = doubled?.byMode.sequential ?? { rollbackRate: 0, medianMinutes: null };
const compareMinutes = doubled?.compareWindow ?? null;
const speedRatio =
  sequential2x.medianMinutes === null || compareMinutes === null
    ? null
    : sequential2x.medianMinutes / compareMinutes;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
console.log(
  `${verdict(sequentialAA <= ALPHA)}  sequential false rollbacks on A/A ${percent(sequentialAA)} ≤ ${percent(ALPHA)}`,
);
console.log(
  `${verdict(sequential2x.rollbackRate >= POWER_TARGET)}  sequential catches 2x in ${percent(sequential2x.rollbackRate)} ≥ ${percent(POWER_TARGET)}`,
);
console.log(
  `${verdict(speedRatio !== null && speedRatio <= 0.5)}  sequential median ${minutes(sequential2x.medianMinutes)} vs compare ${minutes(compareMinutes)} at the same power: ratio ${speedRatio === null ? 'n/a' : speedRatio.toFixed(2)} ≤ 0.50`,
);
