import { ConfigError } from '@recsys-actions/core';
import type { TextInterner } from '@recsys-actions/data';
import {
  checkConfidence,
  holmAdjust,
  pairedBootstrap,
  bootstrapChanges,
  bootstrapFromChanges,
  pairedSignFlipTest,
  columnSums,
  pairedColumns,
  type PairedColumns,
  type ResampleRange,
  type ResamplingOptions,
  type SignFlipResult,
} from '@recsys-actions/stats';
import { AgreementAccumulator, checkRboPersistence, type AgreementAtK } from './agreement';
import type { GroundTruth } from './ground-truth';
import { release } from './growable';
import { metricName } from './metric-names';
import { ListScorer, RANKING_METRICS, writeUserValues, type UserTotals } from './ranking-metrics';
import type { RankedLists } from './recommendations';

/** How to compare the challenger (the `recommendations`) with a champion's lists for the same users. */
export interface PairedOptions {
  /** The champion's recommendations, in the same format and columns as the challenger's. */
  readonly recommendations: string;
  /** Interval levels, each strictly between 0.5 and 1; the first is the one reports show. */
  readonly confidences: readonly number[];
  /** Bootstrap resamples, and sign-flip sets when there are more than 15 users. */
  readonly resamples: number;
  readonly seed: number;
  /** Rank-biased overlap persistence: the chance a reader goes on to the next rank. */
  readonly rboP: number;
}

export interface PairedInterval {
  readonly confidence: number;
  readonly lower: number;
  readonly upper: number;
}

/** One ranking metric at one cut-off, challenger against champion over the users both were scored on. */
export interface PairedMetric {
  readonly name: string;
  /** Means over the compared users (which may differ from the headline metric's population). */
  readonly challenger: number;
  readonly baseline: number;
  /** challenger / baseline − 1. */
  readonly relativeChange: number;
  /** Percentile bootstrap intervals of the relative change, one per requested confidence, in that order. */
  readonly intervals: PairedInterval[];
  /** Two-sided sign-flip randomization test of "no difference in the mean". */
  readonly pValue: number;
  /** Holm-adjusted across every metric in the comparison. */
  readonly adjustedPValue: number;
}

export interface PairedComparison {
  readonly users: {
    /** Users with a relevant interaction and a list in both files: the metrics' population. */
    readonly compared: number;
    /** Users with a list in both files: the agreement's population. */
    readonly shared: number;
    readonly challengerOnly: number;
    readonly baselineOnly: number;
  };
  readonly method: {
    readonly interval: 'percentile bootstrap';
    readonly resamples: number;
    readonly seed: number;
    readonly test: 'exact sign-flip' | 'sign-flip';
    readonly flips: number;
    readonly adjustment: 'holm';
  };
  readonly metrics: PairedMetric[];
  readonly agreement: { readonly rboP: number; readonly atK: AgreementAtK[] };
}

/** Checks the comparison's options, naming the field at fault, before any file is read. */
export function checkPairedOptions(options: PairedOptions): void {
  if (options.confidences.length === 0)
    throw new ConfigError('confidence', 'needs at least one level', '0.95');
  for (const confidence of options.confidences) checkConfidence('confidence', confidence);
  checkRboPersistence('rboP', options.rboP);
}

/** What another thread computes while this one draws most of the bootstrap. */
export interface ResamplingPart {
  readonly signFlip: SignFlipResult;
  /** The bootstrap's resampled changes of the given run, metric-major (see stats' bootstrapChanges). */
  readonly changes: Float64Array;
}

/**
 * Runs the sign-flip test and a run of the bootstrap's resamples on another thread. Both draw from generators of
 * their own and a run skips the draws before it, so where they run does not change a number.
 */
export type ResamplingPartRunner = (
  sample: PairedColumns,
  options: ResamplingOptions,
  range: ResampleRange,
) => Promise<ResamplingPart>;

/**
 * Share of the bootstrap's resamples drawn on this thread while the other one runs the sign-flip test and the
 * rest: on the 10 M-row bench (16 metrics) the test costs about two fifths of the bootstrap's time, and this
 * thread first computes the lists' agreement (about a fifth) and skips the other thread's draws, so 64 % here
 * keeps the two threads about equally busy.
 */
const HERE_SHARE = 0.64;

/**
 * Compares the two models' lists for the same users: every ranking metric at every cut-off with an interval,
 * a p-value and a Holm-adjusted p-value, and the lists' agreement. Throws {@link ConfigError} on
 * `baselineRecommendations` when the files share no user or their lists cover different cut-offs. Takes the
 * baseline's lists over: their arrays are released (emptied) once read, before this thread resamples.
 */
export async function comparePaired(
  truth: GroundTruth,
  challenger: RankedLists,
  baseline: RankedLists,
  cutoffs: readonly number[],
  { users, items }: { users: TextInterner; items: TextInterner },
  options: PairedOptions,
  otherThread?: ResamplingPartRunner,
): Promise<PairedComparison> {
  const population = comparedUsers(truth, challenger, baseline, users.size);
  if (population.shared === 0) {
    throw new ConfigError(
      'baselineRecommendations',
      `shares no user with recommendations (e.g. the champion recommends to '${firstUserWithList(baseline, users)}', the challenger to '${firstUserWithList(challenger, users)}'); both must list the same users' ids`,
    );
  }
  requireSameCutoffs(challenger, baseline, cutoffs);
  if (population.compared.length === 0) {
    throw new ConfigError(
      'baselineRecommendations',
      `shares ${population.shared} users with recommendations, but none of them has a relevant interaction to score`,
    );
  }
  const sample = perUserSample(truth, challenger, baseline, cutoffs, items.size, population.compared);
  let atK: AgreementAtK[] = [];
  // The agreement is computed while the other thread resamples; then the champion's lists are released, as held
  // through this thread's resampling they would add their size to the comparison's peak memory.
  const statistics = await pairedStatistics(sample, cutoffs, options, otherThread, () => {
    atK = agreement(challenger, baseline, cutoffs, items.size, options.rboP);
    release([baseline.offsets, baseline.items]);
  });
  return {
    users: {
      compared: population.compared.length,
      shared: population.shared,
      challengerOnly: population.challengerOnly,
      baselineOnly: population.baselineOnly,
    },
    method: statistics.method,
    metrics: statistics.metrics,
    agreement: { rboP: options.rboP, atK },
  };
}

function listRange(lists: RankedLists, user: number): [number, number] {
  if (user >= lists.offsets.length - 1) return [0, 0];
  return [lists.offsets[user] as number, lists.offsets[user + 1] as number];
}

function hasList(lists: RankedLists, user: number): boolean {
  const [start, end] = listRange(lists, user);
  return end > start;
}

function firstUserWithList(lists: RankedLists, users: TextInterner): string {
  for (let user = 0; user < users.size; user++) if (hasList(lists, user)) return users.name(user);
  return '';
}

function comparedUsers(
  truth: GroundTruth,
  challenger: RankedLists,
  baseline: RankedLists,
  userCount: number,
) {
  const compared: number[] = [];
  let shared = 0;
  let challengerOnly = 0;
  let baselineOnly = 0;
  for (let user = 0; user < userCount; user++) {
    const inChallenger = hasList(challenger, user);
    const inBaseline = hasList(baseline, user);
    if (inChallenger && !inBaseline) challengerOnly++;
    if (inBaseline && !inChallenger) baselineOnly++;
    if (!inChallenger || !inBaseline) continue;
    shared++;
    if (user < truth.userCount && (truth.relevantCount[user] as number) > 0) compared.push(user);
  }
  return { compared: Int32Array.from(compared), shared, challengerOnly, baselineOnly };
}

function longestList(lists: RankedLists): number {
  let longest = 0;
  for (let user = 0; user + 1 < lists.offsets.length; user++)
    longest = Math.max(longest, (lists.offsets[user + 1] as number) - (lists.offsets[user] as number));
  return longest;
}

/**
 * A champion cut at 10 against a challenger at 20 would compare @20 of unequal lists: the k sets the two files
 * can fill must be the same.
 */
function requireSameCutoffs(
  challenger: RankedLists,
  baseline: RankedLists,
  cutoffs: readonly number[],
): void {
  const challengerLongest = longestList(challenger);
  const baselineLongest = longestList(baseline);
  const filled = (longest: number) => cutoffs.filter((k) => k <= longest);
  const challengerKs = filled(challengerLongest);
  const baselineKs = filled(baselineLongest);
  if (challengerKs.join() === baselineKs.join()) return;
  const shorter = Math.min(challengerLongest, baselineLongest);
  const example = filled(shorter).join(',') || String(Math.max(1, shorter));
  throw new ConfigError(
    'baselineRecommendations',
    `has lists of at most ${baselineLongest} items, filling k = ${baselineKs.join(',') || 'none'}, while recommendations' lists of up to ${challengerLongest} fill k = ${challengerKs.join(',') || 'none'}; both files need lists as long as the largest k, or k only the cut-offs both fill (e.g. ${example})`,
  );
}

/**
 * Both models' per-user values of every ranking metric at every cut-off, in {@link metricNames} order, by metric
 * (the users' rows are written first, then turned into columns in shared memory: another thread resampling them
 * reads these rather than a copy).
 */
function perUserSample(
  truth: GroundTruth,
  challenger: RankedLists,
  baseline: RankedLists,
  cutoffs: readonly number[],
  itemCount: number,
  compared: Int32Array,
): PairedColumns {
  const width = cutoffs.length * RANKING_METRICS.length;
  const sample = {
    users: compared.length,
    metrics: width,
    challenger: new Float64Array(compared.length * width),
    baseline: new Float64Array(compared.length * width),
  };
  const scorer = new ListScorer(truth, cutoffs, itemCount);
  for (const [row, user] of compared.entries()) {
    for (const [lists, out] of [
      [challenger, sample.challenger],
      [baseline, sample.baseline],
    ] as const) {
      const [start, end] = listRange(lists, user);
      const write = (cut: number, k: number, totals: UserTotals) =>
        writeUserValues(out, row * width + cut * RANKING_METRICS.length, k, totals);
      scorer.score(user, lists.items, start, end, write);
    }
  }
  return pairedColumns(sample, (bytes) => new SharedArrayBuffer(bytes));
}

/** `ndcg@10`, `precision@10`, ... in the order of the sample's columns: by cut-off, then metric. */
function metricNames(cutoffs: readonly number[]): string[] {
  return cutoffs.flatMap((k) => RANKING_METRICS.map((metric) => metricName(metric, k)));
}

/** The bootstrap and the sign-flip test, here or shared with another thread; `meanwhile` runs here first. */
async function resample(
  sample: PairedColumns,
  options: PairedOptions,
  otherThread: ResamplingPartRunner | undefined,
  meanwhile: () => void,
) {
  const resampling = { resamples: options.resamples, seed: options.seed };
  const bootstrapOptions = { ...resampling, confidences: options.confidences };
  if (otherThread === undefined) {
    meanwhile();
    return {
      bootstrap: pairedBootstrap(sample, bootstrapOptions),
      test: pairedSignFlipTest(sample, resampling),
    };
  }
  const here = Math.ceil(options.resamples * HERE_SHARE);
  const thereCount = options.resamples - here;
  // Started first, so it runs while this thread draws its share. The other thread, which also runs the test,
  // draws the first resamples: skipping the draws before a run (the fewer) falls to this thread.
  const there = otherThread(sample, resampling, { first: 0, count: thereCount });
  there.catch(() => undefined);
  meanwhile();
  const changes = bootstrapChanges(sample, resampling, { first: thereCount, count: here });
  const part = await there;
  return {
    bootstrap: bootstrapFromChanges(sample, [part.changes, changes], bootstrapOptions),
    test: part.signFlip,
  };
}

async function pairedStatistics(
  sample: PairedColumns,
  cutoffs: readonly number[],
  options: PairedOptions,
  otherThread: ResamplingPartRunner | undefined,
  meanwhile: () => void,
) {
  const resampling = { resamples: options.resamples, seed: options.seed };
  const { bootstrap, test } = await resample(sample, options, otherThread, meanwhile);
  const adjusted = holmAdjust(test.pValues);
  const sums = columnSums(sample);
  const metrics = metricNames(cutoffs).map((name, metric) => ({
    name,
    challenger: (sums.challenger[metric] as number) / sample.users,
    baseline: (sums.baseline[metric] as number) / sample.users,
    relativeChange: bootstrap.relativeChange[metric] as number,
    intervals: bootstrap.intervals.map(({ confidence, lower, upper }) => ({
      confidence,
      lower: lower[metric] as number,
      upper: upper[metric] as number,
    })),
    pValue: test.pValues[metric] as number,
    adjustedPValue: adjusted[metric] as number,
  }));
  const method = {
    interval: 'percentile bootstrap' as const,
    ...resampling,
    test: test.exact ? ('exact sign-flip' as const) : ('sign-flip' as const),
    flips: test.flips,
    adjustment: 'holm' as const,
  };
  return { metrics, method };
}

function agreement(
  challenger: RankedLists,
  baseline: RankedLists,
  cutoffs: readonly number[],
  itemCount: number,
  rboP: number,
): AgreementAtK[] {
  const accumulator = new AgreementAccumulator(cutoffs, itemCount, rboP);
  const users = Math.min(challenger.offsets.length, baseline.offsets.length) - 1;
  for (let user = 0; user < users; user++) {
    const [challengerStart, challengerEnd] = listRange(challenger, user);
    const [baselineStart, baselineEnd] = listRange(baseline, user);
    if (challengerEnd === challengerStart || baselineEnd === baselineStart) continue;
    accumulator.add({
      challenger: challenger.items,
      baseline: baseline.items,
      challengerStart,
      challengerEnd,
      baselineStart,
      baselineEnd,
    });
  }
  return accumulator.result();
}
