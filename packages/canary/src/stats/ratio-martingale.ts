/**
 * Anytime-valid test of the canary/baseline rate ratio ρ = λ_canary / λ_baseline from per-interval event counts.
 * The derivation is in the package README ("Sequential analysis"); in short: given k events in an interval,
 * the canary's share is Binomial(k, p(ρ)) with p(ρ) = n_c·ρ / (n_c·ρ + n_b), and a mixture of likelihood
 * ratios against the boundary ρ₀ is a test martingale for every ρ on the null side of ρ₀.
 */

/** Alternatives sit at ρ₀·m or ρ₀/m for these m: log-spaced from a 2 % to a tenfold departure. */
const MULTIPLIERS: readonly number[] = logSpaced(1.02, 10, 24);

export interface RatioTest {
  /** The boundary ρ₀: 1 + tolerance when a higher rate is worse, 1 − tolerance when a lower rate is. */
  readonly boundary: number;
  readonly worse: 'higher' | 'lower';
  /** Running log-likelihood ratio of each worse-side alternative against ρ₀. */
  readonly worseLogLr: readonly number[];
  /** The same for the better-side alternatives, which evidence that the canary is within tolerance. */
  readonly betterLogLr: readonly number[];
}

export interface IntervalCounts {
  readonly canaryEvents: number;
  readonly canaryTotal: number;
  readonly baselineEvents: number;
  readonly baselineTotal: number;
}

export function startRatioTest(tolerance: number, worse: 'higher' | 'lower'): RatioTest {
  const zeros = MULTIPLIERS.map(() => 0);
  return {
    boundary: worse === 'higher' ? 1 + tolerance : 1 - tolerance,
    worse,
    worseLogLr: zeros,
    betterLogLr: zeros,
  };
}

export function updateRatioTest(test: RatioTest, counts: IntervalCounts): RatioTest {
  const { canaryEvents: xc, baselineEvents: xb, canaryTotal: nc, baselineTotal: nb } = counts;
  if (xc + xb === 0 || nc <= 0 || nb <= 0) return test;
  const share = (ratio: number) => (nc * ratio) / (nc * ratio + nb);
  const p0 = share(test.boundary);
  const logLr = (ratio: number) => {
    const p = share(ratio);
    return xc * Math.log(p / p0) + xb * Math.log((1 - p) / (1 - p0));
  };
  const up = (sums: readonly number[]) =>
    sums.map((sum, j) => sum + logLr(test.boundary * (MULTIPLIERS[j] as number)));
  const down = (sums: readonly number[]) =>
    sums.map((sum, j) => sum + logLr(test.boundary / (MULTIPLIERS[j] as number)));
  return test.worse === 'higher'
    ? { ...test, worseLogLr: up(test.worseLogLr), betterLogLr: down(test.betterLogLr) }
    : { ...test, worseLogLr: down(test.worseLogLr), betterLogLr: up(test.betterLogLr) };
}

/** E-value against "the canary is no worse than the tolerance allows"; ≥ 1/α justifies a rollback. */
export function rollbackEValue(test: RatioTest): number {
  return meanOfExp(test.worseLogLr);
}

/** E-value against "the canary is worse than the tolerance allows"; ≥ 1/α justifies an early promote. */
export function promoteEValue(test: RatioTest): number {
  return meanOfExp(test.betterLogLr);
}

/** The uniform-prior mixture, computed in log space so long runs do not overflow before the last step. */
function meanOfExp(logs: readonly number[]): number {
  const top = Math.max(...logs);
  const sum = logs.reduce((acc, value) => acc + Math.exp(value - top), 0);
  return Math.exp(top + Math.log(sum / logs.length));
}

function logSpaced(from: number, to: number, count: number): number[] {
  const step = Math.log(to / from) / (count - 1);
  return Array.from({ length: count }, (_, i) => from * Math.exp(step * i));
}
