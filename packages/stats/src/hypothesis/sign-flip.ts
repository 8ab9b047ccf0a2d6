import { columnsOf, type PairedColumns, type PairedInput } from '../resampling/paired-columns';
import { checkResampling, type ResamplingOptions } from '../resampling/paired-sample';
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
export function pairedSignFlipTest(sample: PairedInput, options: ResamplingOptions): SignFlipResult {
  const columns = columnsOf(sample);
  checkResampling(options);
  const exact = columns.users <= SIGN_FLIP_EXACT_MAX_USERS;
  const flips = exact ? 2 ** columns.users : options.resamples;
  const tails = new TailCounts(differenceSpans(columns), columns.users, columns.metrics);
  if (exact) enumerateFlips(tails);
  else drawFlips(tails, options);
  const adjustment = exact ? 0 : 1;
  const pValues = Array.from({ length: columns.metrics }, (_, metric) => {
    const smaller = Math.min(tails.atMost[metric] as number, tails.atLeast[metric] as number);
    return Math.min(1, (2 * (smaller + adjustment)) / (flips + adjustment));
  });
  return { pValues, exact, flips };
}

/**
 * Each user's differences challenger − champion from the first metric that differs to the last: user u's span
 * covers metrics `first[u]` to `first[u] + (offsets[u + 1] - offsets[u]) - 1`, its values at `offsets[u] ...`.
 * A zero difference adds nothing to a flip set's sum, and most users' lists score the same at small cut-offs (or
 * 0 in both), so a flipped user adds only its span.
 */
interface DifferenceSpans {
  readonly first: Int32Array;
  readonly offsets: Int32Array;
  readonly values: Float64Array;
  /** Each metric's sum of the differences over every user, in user order. */
  readonly totals: Float64Array;
}

function differenceSpans({
  users,
  metrics,
  starts,
  rows,
  challenger,
  baseline,
}: PairedColumns): DifferenceSpans {
  const first = new Int32Array(users).fill(metrics);
  const last = new Int32Array(users).fill(-1);
  const totals = new Float64Array(metrics);
  for (let metric = 0; metric < metrics; metric++) {
    for (let entry = starts[metric] as number; entry < (starts[metric + 1] as number); entry++) {
      const difference = (challenger[entry] as number) - (baseline[entry] as number);
      totals[metric] = (totals[metric] as number) + difference;
      if (difference === 0) continue;
      const user = rows[entry] as number;
      first[user] = Math.min(first[user] as number, metric);
      last[user] = metric;
    }
  }
  const offsets = new Int32Array(users + 1);
  for (let user = 0; user < users; user++)
    offsets[user + 1] =
      (offsets[user] as number) + Math.max(0, (last[user] as number) - (first[user] as number) + 1);
  const values = new Float64Array(offsets[users] as number);
  // Inside a span, the metrics without an entry or with equal values keep the 0 they start with.
  for (let metric = 0; metric < metrics; metric++) {
    for (let entry = starts[metric] as number; entry < (starts[metric + 1] as number); entry++) {
      const user = rows[entry] as number;
      const difference = (challenger[entry] as number) - (baseline[entry] as number);
      if (difference !== 0) values[(offsets[user] as number) + metric - (first[user] as number)] = difference;
    }
  }
  return { first, offsets, values, totals };
}

/**
 * Counts, per metric, the flip sets whose mean difference is at most / at least the observed one. A set's
 * mean is (total − 2 × the flipped users' sum) / users, so a set only needs the sum of its flipped rows.
 */
class TailCounts {
  readonly atMost: Float64Array;
  readonly atLeast: Float64Array;
  private readonly observed: Float64Array;
  private readonly tolerance: Float64Array;

  constructor(
    readonly spans: DifferenceSpans,
    readonly users: number,
    readonly metrics: number,
  ) {
    this.atMost = new Float64Array(metrics);
    this.atLeast = new Float64Array(metrics);
    this.observed = spans.totals.map((total) => total / users);
    this.tolerance = this.observed.map((mean) => Math.max(TIE_TOLERANCE, Math.abs(mean) * TIE_TOLERANCE));
  }

  /** Records one flip set from the sums of its flipped users' rows, at `offset` in `flippedSums`. */
  record(flippedSums: Float64Array, offset: number): void {
    for (let metric = 0; metric < this.metrics; metric++) {
      const mean =
        ((this.spans.totals[metric] as number) - 2 * (flippedSums[offset + metric] as number)) / this.users;
      const observed = this.observed[metric] as number;
      const tolerance = this.tolerance[metric] as number;
      if (mean <= observed + tolerance) this.atMost[metric] = (this.atMost[metric] as number) + 1;
      if (mean >= observed - tolerance) this.atLeast[metric] = (this.atLeast[metric] as number) + 1;
    }
  }

  /** Whether the user's models differ in any metric (whether flipping the user changes any sum). */
  differs(user: number): boolean {
    return this.spans.offsets[user + 1] !== this.spans.offsets[user];
  }

  /** Adds the user's span of differences to the flip set's sums at `offset`. */
  addRow(sums: Float64Array, offset: number, user: number): void {
    const { first, offsets, values } = this.spans;
    const end = offsets[user + 1] as number;
    const at = offset + (first[user] as number) - (offsets[user] as number);
    for (let index = offsets[user] as number; index < end; index++)
      sums[at + index] = (sums[at + index] as number) + (values[index] as number);
  }
}

function enumerateFlips(tails: TailCounts): void {
  const sums = new Float64Array(tails.metrics);
  for (let set = 0; set < 2 ** tails.users; set++) {
    sums.fill(0);
    for (let user = 0; user < tails.users; user++) if ((set >>> user) & 1) tails.addRow(sums, 0, user);
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
      const flipped = random.nextUint32() & inBlock;
      if (!tails.differs(user)) continue;
      // Visits only the sets that flip this user, lowest bit first: no branch on a coin toss to mispredict.
      for (let bits = flipped; bits !== 0; bits &= bits - 1) {
        const set = 31 - Math.clz32(bits & -bits);
        tails.addRow(sums, set * metrics, user);
      }
    }
    for (let set = 0; set < sets; set++) tails.record(sums, set * metrics);
  }
}
