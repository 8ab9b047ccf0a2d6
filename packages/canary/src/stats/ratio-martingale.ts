/**
 * Anytime-valid tests of the canary/baseline rate ratio ρ = λ_canary / λ_baseline from per-interval event counts.
 * The derivation is in the package README ("Sequential analysis"); in short: given k events in an interval,
 * the canary's share is Binomial(k, p(ρ)) with p(ρ) = n_c·ρ / (n_c·ρ + n_b) (Lindon & Malek's conditioning),
 * so any product of likelihood ratios whose alternative is fixed before the interval is seen is a test
 * martingale under the null.
 *
 * - Rollback: a predictable plug-in e-process against ρ = 1 (the canary is no worse than its baseline). Each
 *   interval's alternative is the rate ratio of the intervals before it, shrunk towards a doubled rate and
 *   kept at least as bad as the tolerance allows, so it aims at the regression the data show.
 * - Promote: a mixture over fixed alternatives better than the tolerance boundary ρ₀ = 1 ± tolerance.
 */

/** Promote alternatives sit at ρ₀/m (or ρ₀·m) for these m: log-spaced from a 2 % to a tenfold departure. */
const MULTIPLIERS: readonly number[] = logSpaced(1.02, 10, 24);
/** Before any data, the rollback alternative is a doubled rate (halved for a good/total check). */
const FIRST_GUESS = 2;
/** How many expected events the first guess weighs in the rollback alternative, against the data's. */
const GUESS_WEIGHT = 6;

export interface RatioTest {
  /** The tolerance boundary ρ₀: 1 + tolerance when a higher rate is worse, 1 − tolerance when a lower rate is. */
  readonly boundary: number;
  readonly worse: 'higher' | 'lower';
  /** Log of the rollback e-process against ρ = 1. */
  readonly rollbackLogE: number;
  /** Running log-likelihood ratio of each better-side alternative against ρ₀, for the promote mixture. */
  readonly betterLogLr: readonly number[];
  /** The intervals' counts pooled, from which the next rollback alternative is predicted. */
  readonly pooled: IntervalCounts;
}

export interface IntervalCounts {
  readonly canaryEvents: number;
  readonly canaryTotal: number;
  readonly baselineEvents: number;
  readonly baselineTotal: number;
}

export function startRatioTest(tolerance: number, worse: 'higher' | 'lower'): RatioTest {
  return {
    boundary: worse === 'higher' ? 1 + tolerance : 1 - tolerance,
    worse,
    rollbackLogE: 0,
    betterLogLr: MULTIPLIERS.map(() => 0),
    pooled: { canaryEvents: 0, canaryTotal: 0, baselineEvents: 0, baselineTotal: 0 },
  };
}

export function updateRatioTest(test: RatioTest, counts: IntervalCounts): RatioTest {
  const { canaryEvents: xc, baselineEvents: xb, canaryTotal: nc, baselineTotal: nb } = counts;
  if (xc + xb === 0 || nc <= 0 || nb <= 0) return { ...test, pooled: pool(test.pooled, counts) };
  const share = (ratio: number) => (nc * ratio) / (nc * ratio + nb);
  const logLr = (ratio: number, against: number) => {
    const p = share(ratio);
    const p0 = share(against);
    return xc * Math.log(p / p0) + xb * Math.log((1 - p) / (1 - p0));
  };
  const better = (m: number) => (test.worse === 'higher' ? test.boundary / m : test.boundary * m);
  return {
    ...test,
    rollbackLogE: test.rollbackLogE + logLr(rollbackAlternative(test), 1),
    betterLogLr: test.betterLogLr.map(
      (sum, j) => sum + logLr(better(MULTIPLIERS[j] as number), test.boundary),
    ),
    pooled: pool(test.pooled, counts),
  };
}

/**
 * The alternative the next interval's rollback factor tests: the pooled rate ratio so far, with the first
 * guess counted as GUESS_WEIGHT expected canary events, and never better than the tolerance boundary. It
 * depends only on earlier intervals, which is what keeps the product a martingale.
 */
export function rollbackAlternative(test: RatioTest): number {
  const { canaryEvents, canaryTotal, baselineEvents, baselineTotal } = test.pooled;
  const guess = test.worse === 'higher' ? FIRST_GUESS : 1 / FIRST_GUESS;
  // The canary events the baseline's rate predicts for the canary's exposure.
  const expected = baselineTotal > 0 ? (baselineEvents * canaryTotal) / baselineTotal : 0;
  const estimate = (canaryEvents + guess * GUESS_WEIGHT) / (expected + GUESS_WEIGHT);
  return test.worse === 'higher' ? Math.max(test.boundary, estimate) : Math.min(test.boundary, estimate);
}

/** E-value against "the canary is no worse than its baseline"; ≥ 1/α is evidence of a regression. */
export function rollbackEValue(test: RatioTest): number {
  return Math.exp(test.rollbackLogE);
}

/** E-value against "the canary is worse than the tolerance allows"; ≥ 1/α justifies an early promote. */
export function promoteEValue(test: RatioTest): number {
  return meanOfExp(test.betterLogLr);
}

/**
 * Whether the pooled rates put the canary beyond its tolerance. A rollback needs this beside the e-value,
 * as compare analysis needs the change beyond tolerance beside significance: the e-value shows that the
 * canary is worse, this that it is worse by more than the check accepts.
 */
export function beyondTolerance(test: RatioTest): boolean {
  const { canaryEvents, canaryTotal, baselineEvents, baselineTotal } = test.pooled;
  if (canaryTotal <= 0 || baselineTotal <= 0) return false;
  const canaryRate = canaryEvents / canaryTotal;
  const allowed = (test.boundary * baselineEvents) / baselineTotal;
  return test.worse === 'higher' ? canaryRate > allowed : canaryRate < allowed;
}

function pool(sums: IntervalCounts, counts: IntervalCounts): IntervalCounts {
  return {
    canaryEvents: sums.canaryEvents + counts.canaryEvents,
    canaryTotal: sums.canaryTotal + counts.canaryTotal,
    baselineEvents: sums.baselineEvents + counts.baselineEvents,
    baselineTotal: sums.baselineTotal + counts.baselineTotal,
  };
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
