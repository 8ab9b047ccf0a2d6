import {
  checkPairedSample,
  checkResampling,
  type PairedSample,
  type ResamplingOptions,
} from '../resampling/paired-sample';
import { SeededRandom } from '../resampling/seeded-random';

/** Up to this many users every sign flip is enumerated (2^15 = 32,768 sets); above it they are drawn at random. */
export const SIGN_FLIP_EXACT_MAX_USERS = 15;

const TIE_TOLERANCE = 1e-14;

export interface SignFlipResult {
  /** Two-sided p-value per metric, in the sample's metric order. */
  readonly pValues: number[];
  readonly exact: boolean;
  /** Sign-flip sets compared with the observed difference (2^users when exact). */
  readonly flips: number;
}

/**
 * Paired randomization test of "no difference" for each metric, on the mean per-user difference challenger −
 * champion. Under the null hypothesis either model's value could be either user's, so each difference's sign is
 * flipped at random. As SciPy's `permutation_test(..., permutation_type='samples')`: exact when every flip set can
 * be enumerated, else `resamples` random sets with the observed one counted in, (hits + 1) / (resamples + 1);
 * two-sided is twice the smaller tail, at most 1; a set within max(1e-14, 1e-14 × |observed|) of the observed
 * mean counts as a tie (SciPy's tolerance), so sums that differ only by rounding are not split across tails.
 */
export function pairedSignFlipTest(sample: PairedSample, options: ResamplingOptions): SignFlipResult {
  checkPairedSample(sample);
  checkResampling(options);
  const differences = perUserDifferences(sample);
  const exact = sample.users <= SIGN_FLIP_EXACT_MAX_USERS;
  const flips = exact ? 2 ** sample.users : options.resamples;
  const tails = new TailCounts(differences, sample.users, sample.metrics);
  if (exact) enumerateFlips(tails);
  else drawFlips(tails, options);
  const adjustment = exact ? 0 : 1;
  const pValues = Array.from({ length: sample.metrics }, (_, metric) => {
    const smaller = Math.min(tails.atMost[metric] as number, tails.atLeast[metric] as number);
    return Math.min(1, (2 * (smaller + adjustment)) / (flips + adjustment));
  });
  return { pValues, exact, flips };
}

function perUserDifferences({ challenger, baseline }: PairedSample): Float64Array {
  const differences = new Float64Array(challenger.length);
  for (let index = 0; index < differences.length; index++)
    differences[index] = (challenger[index] as number) - (baseline[index] as number);
  return differences;
}

/**
 * Counts, per metric, the flip sets whose mean difference is at most / at least the observed one. A set's
 * mean is (total − 2 × the flipped users' sum) / users, so a set only needs the sum of its flipped rows.
 */
class TailCounts {
  readonly atMost: Float64Array;
  readonly atLeast: Float64Array;
  private readonly totals: Float64Array;
  private readonly observed: Float64Array;
  private readonly tolerance: Float64Array;

  constructor(
    readonly differences: Float64Array,
    readonly users: number,
    readonly metrics: number,
  ) {
    this.atMost = new Float64Array(metrics);
    this.atLeast = new Float64Array(metrics);
    this.totals = new Float64Array(metrics);
    for (let user = 0; user < users; user++)
      for (let metric = 0; metric < metrics; metric++)
        this.totals[metric] =
          (this.totals[metric] as number) + (differences[user * metrics + metric] as number);
    this.observed = this.totals.map((total) => total / users);
    this.tolerance = this.observed.map((mean) => Math.max(TIE_TOLERANCE, Math.abs(mean) * TIE_TOLERANCE));
  }

  /** Records one flip set from the sums of its flipped users' rows, at `offset` in `flippedSums`. */
  record(flippedSums: Float64Array, offset: number): void {
    for (let metric = 0; metric < this.metrics; metric++) {
      const mean =
        ((this.totals[metric] as number) - 2 * (flippedSums[offset + metric] as number)) / this.users;
      const observed = this.observed[metric] as number;
      const tolerance = this.tolerance[metric] as number;
      if (mean <= observed + tolerance) this.atMost[metric] = (this.atMost[metric] as number) + 1;
      if (mean >= observed - tolerance) this.atLeast[metric] = (this.atLeast[metric] as number) + 1;
    }
  }

  /**
   * Adds the user's row times `flipped` (0 or 1). For one or two metrics a multiply beats a branch on a coin
   * toss; for wide rows skipping the unflipped half saves more than the mispredictions cost.
   */
  addRow(sums: Float64Array, offset: number, user: number, flipped: number): void {
    if (flipped === 0 && this.metrics > 2) return;
    const row = user * this.metrics;
    for (let metric = 0; metric < this.metrics; metric++)
      sums[offset + metric] =
        (sums[offset + metric] as number) + flipped * (this.differences[row + metric] as number);
  }
}

function enumerateFlips(tails: TailCounts): void {
  const sums = new Float64Array(tails.metrics);
  for (let set = 0; set < 2 ** tails.users; set++) {
    sums.fill(0);
    for (let user = 0; user < tails.users; user++) tails.addRow(sums, 0, user, (set >>> user) & 1);
    tails.record(sums, 0);
  }
}

/**
 * Random flip sets, 32 at a time: one 32-bit draw per user gives that user's coin toss in each of the 32 sets, and
 * the user's row is read once for all of them rather than once per set.
 */
function drawFlips(tails: TailCounts, { resamples, seed }: ResamplingOptions): void {
  const random = new SeededRandom(seed);
  const { metrics } = tails;
  const sums = new Float64Array(32 * metrics);
  for (let first = 0; first < resamples; first += 32) {
    const sets = Math.min(32, resamples - first);
    sums.fill(0);
    const inBlock = sets === 32 ? 0xffffffff : (1 << sets) - 1;
    for (let user = 0; user < tails.users; user++) {
      // Visits only the sets that flip this user, lowest bit first: no branch on a coin toss to mispredict.
      for (let bits = random.nextUint32() & inBlock; bits !== 0; bits &= bits - 1) {
        const set = 31 - Math.clz32(bits & -bits);
        tails.addRow(sums, set * metrics, user, 1);
      }
    }
    for (let set = 0; set < sets; set++) tails.record(sums, set * metrics);
  }
}
