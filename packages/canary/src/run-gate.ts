import { CHECKS_FIELD, seriesOf, type CheckConfig } from './checks';
import { createEngine, finish, step, type EngineState } from './engine';
import type { Observation } from './observation';
import type { AnalysisOptions } from './options';
import { formatYamlPath } from '@recsys-actions/core';
import type { IntervalWindow, MetricSource } from '@recsys-actions/telemetry';
import { sleepUntil, systemClock, type Clock } from './clock';
import { readCheckInterval, type Versions } from './samples';

/**
 * How long after an interval ends a realtime source is read. Prometheus stamps a scrape with its start time
 * but stores it only once the target has answered, and remote-write backends (Mimir, Thanos Receive) ingest a
 * few seconds later still; reading at once could miss the interval's last scrape.
 */
export const DEFAULT_SETTLE_SECONDS = 5;

export interface GateRun {
  readonly checks: readonly CheckConfig[];
  /** Analysis options except maxIntervals, which is given beside them. */
  readonly options: Partial<Omit<AnalysisOptions, 'maxIntervals'>>;
  readonly source: MetricSource;
  readonly versions: Versions;
  readonly environment: string;
  readonly intervalSeconds: number;
  readonly maxIntervals: number;
  readonly clock?: Clock;
  /**
   * Epoch seconds that interval windows count from (default: now). A realtime source must be configured with
   * the same start, since it turns window offsets into timestamps.
   */
  readonly startSeconds?: number;
  readonly settleSeconds?: number;
  /** Called after every interval, e.g. to log progress during a long realtime run. */
  readonly onInterval?: (state: EngineState, observation: Observation) => void;
}

export interface CanaryGateResult {
  /** The finished analysis: status `done` with a verdict and its reason. */
  readonly state: EngineState;
  /** What was fed to the engine, interval by interval, so the run can be replayed. */
  readonly observations: readonly Observation[];
}

/**
 * Runs the canary analysis over a metric source: one window of `intervalSeconds` after another, every check
 * read for both roles, until the engine decides or `maxIntervals` have passed. Every check's series are
 * validated first, so a typo fails before any waiting. A realtime source is read once each window has ended
 * (plus the settle delay); a recording is replayed at full speed.
 */
export async function runGate(run: GateRun): Promise<CanaryGateResult> {
  const clock = run.clock ?? systemClock;
  const startMs = (run.startSeconds ?? clock.now() / 1000) * 1000;
  const settleSeconds = run.settleSeconds ?? DEFAULT_SETTLE_SECONDS;
  let state = createEngine(run.checks, { ...run.options, maxIntervals: run.maxIntervals });
  validateSeries(run.checks, run.source);

  const observations: Observation[] = [];
  const subject = { versions: run.versions, environment: run.environment };
  for (let index = 0; state.status !== 'done' && index < run.maxIntervals; index += 1) {
    const window: IntervalWindow = {
      index,
      startSeconds: index * run.intervalSeconds,
      endSeconds: (index + 1) * run.intervalSeconds,
    };
    if (run.source.realtime) await sleepUntil(clock, startMs + (window.endSeconds + settleSeconds) * 1000);
    const pairs = await Promise.all(
      run.checks.map(
        async (check) => [check.name, await readCheckInterval(run.source, check, subject, window)] as const,
      ),
    );
    const observation: Observation = {
      index,
      elapsedSeconds: window.endSeconds,
      checks: Object.fromEntries(pairs),
    };
    observations.push(observation);
    state = step(state, observation);
    run.onInterval?.(state, observation);
  }
  return { state: finish(state), observations };
}

/** Asks the source to reject every expression it could never answer, naming the field, e.g. checks[0].bad. */
function validateSeries(checks: readonly CheckConfig[], source: MetricSource): void {
  checks.forEach((check, index) => {
    for (const [field, request] of Object.entries(seriesOf(check)))
      source.validate(request.series, formatYamlPath(CHECKS_FIELD, [index, field]));
  });
}
