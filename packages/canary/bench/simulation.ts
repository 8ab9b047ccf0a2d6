import { finish, step, type EngineState } from '../src/engine';
import type { Observation } from '../src/observation';
import { seededRandom } from '@recsys-actions/testkit';

export { seededRandom };

/**
 * Binomial(n, p) by inversion, walking the pmf up from 0. Exact, and fast for the means of a canary
 * simulation (a few hundred at most); it refuses sizes where (1 − p)^n underflows, which would return n.
 */
export function binomial(random: () => number, n: number, p: number): number {
  if (n === 0 || p === 0) return 0;
  let pmf = Math.pow(1 - p, n);
  if (pmf === 0) throw new Error(`binomial(${n}, ${p}): (1 - p)^n underflows; too large for inversion`);
  const odds = p / (1 - p);
  let cdf = pmf;
  const u = random();
  let k = 0;
  while (u > cdf && k < n) {
    pmf *= (odds * (n - k)) / (k + 1);
    cdf += pmf;
    k++;
  }
  return k;
}

export interface Scenario {
  readonly requestsPerSecond: number;
  readonly canaryShare: number;
  readonly baselineErrorRate: number;
  readonly canaryErrorRate: number;
  readonly intervalSeconds: number;
  readonly intervals: number;
}

export const CHECK_NAME = 'error-rate';

/** Requests split at random between the versions each interval, and errors drawn per version. */
export function simulateObservations(scenario: Scenario, random: () => number): Observation[] {
  const requests = Math.round(scenario.requestsPerSecond * scenario.intervalSeconds);
  return Array.from({ length: scenario.intervals }, (_, index) => {
    const canaryTotal = binomial(random, requests, scenario.canaryShare);
    const baselineTotal = requests - canaryTotal;
    return {
      index,
      elapsedSeconds: (index + 1) * scenario.intervalSeconds,
      checks: {
        [CHECK_NAME]: {
          canary: {
            kind: 'ratio',
            events: binomial(random, canaryTotal, scenario.canaryErrorRate),
            total: canaryTotal,
          },
          baseline: {
            kind: 'ratio',
            events: binomial(random, baselineTotal, scenario.baselineErrorRate),
            total: baselineTotal,
          },
        },
      },
    };
  });
}

/** Steps through the observations until the engine decides, then finishes it if it has not. */
export function replay(initial: EngineState, observations: readonly Observation[]): EngineState {
  let state = initial;
  for (const observation of observations) {
    if (state.status === 'done') break;
    state = step(state, observation);
  }
  return finish(state);
}
