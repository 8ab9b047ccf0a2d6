import { addAt } from './growable';
import { cooccurrenceSimilarity } from './item-similarity';
import { metricName } from './metric-names';
import type { UserValue } from './serendipity';
import { forEachRanked, type RankedLists } from './recommendations';
import { serendipityMetrics, type PairwiseResult } from './serendipity';
import { userMeans, type UserSums } from './user-means';
import type { TrainStats } from './train';

export interface BeyondAccuracyResult {
  readonly metrics: Record<string, number>;
  /** Top-k rows (at the largest k) whose item never occurs in train: left out of novelty. */
  readonly untrainedRows: number;
  /** MSR's `user_diversity` and `user_serendipity` at the largest k, by user index. */
  readonly perUser: { readonly diversity: UserValue[]; readonly serendipity: UserValue[] };
  /** Sums behind the averages, for partial results: self-information and trained rows within each rank. */
  readonly informationAtRank: Float64Array;
  readonly rowsAtRank: Int32Array;
  readonly diversity?: UserSums;
  readonly serendipity?: UserSums;
}

/** Which of the pairwise (costly) metrics to compute. */
export interface PairwiseChoice {
  readonly diversity: boolean;
  readonly serendipity: boolean;
}

/**
 * coverage@k, distributional_coverage@k, novelty@k and (when asked) diversity@k and serendipity@k over every
 * user's top-k list. Items absent from train count for nothing in coverage and novelty: they are not in the
 * catalogue coverage is measured against and have no popularity.
 */
export function beyondAccuracyMetrics(
  lists: RankedLists,
  train: TrainStats,
  cutoffs: readonly number[],
  pairwise: PairwiseChoice,
): BeyondAccuracyResult {
  const maxK = cutoffs[cutoffs.length - 1] as number;
  const trainedRows = (item: number) => (item < train.itemRows.length ? (train.itemRows[item] as number) : 0);

  // The best rank at which each item appears, and the self-information summed per rank: enough for every k.
  const bestRank = new Int32Array(train.itemRows.length).fill(maxK + 1);
  const informationAtRank = new Float64Array(maxK + 1);
  const rowsAtRank = new Int32Array(maxK + 1);
  let untrainedRows = 0;
  forEachRanked(lists, (item, rank) => {
    const count = trainedRows(item);
    if (count === 0) {
      untrainedRows++;
      return;
    }
    if ((bestRank[item] as number) > rank) bestRank[item] = rank;
    addAt(informationAtRank, rank, -Math.log2(count / train.rows));
    addAt(rowsAtRank, rank, 1);
  });

  const metrics: Record<string, number> = {};
  for (const k of cutoffs) {
    let covered = 0;
    for (const rank of bestRank) if (rank <= k) covered++;
    metrics[metricName('coverage', k)] = covered / train.distinctItems;
    let information = 0;
    let rows = 0;
    for (let rank = 1; rank <= k; rank++) {
      information += informationAtRank[rank] as number;
      rows += rowsAtRank[rank] as number;
    }
    if (rows > 0) metrics[metricName('novelty', k)] = information / rows;
  }
  Object.assign(metrics, distributionalCoverage(lists, cutoffs));
  const similarity = cooccurrenceSimilarity(train);
  const diversity = pairwise.diversity ? diversityMetrics(lists, cutoffs, similarity) : undefined;
  const serendipity = pairwise.serendipity
    ? serendipityMetrics(lists, train, cutoffs, similarity)
    : undefined;
  Object.assign(metrics, diversity?.metrics, serendipity?.metrics);
  const perUser = { diversity: diversity?.perUser ?? [], serendipity: serendipity?.perUser ?? [] };
  return {
    metrics,
    untrainedRows,
    perUser,
    informationAtRank,
    rowsAtRank,
    ...(diversity === undefined ? {} : { diversity }),
    ...(serendipity === undefined ? {} : { serendipity }),
  };
}

/**
 * distributional_coverage@k, MSR's `distributional_coverage` (Shani & Gunawardana, eq. 21): the entropy
 * −Σ p(i) log2 p(i) of how often each item appears among all top-k rows, items absent from train included.
 */
function distributionalCoverage(lists: RankedLists, cutoffs: readonly number[]): Record<string, number> {
  const metrics: Record<string, number> = {};
  const counts = new Map<number, number>();
  const userCount = lists.offsets.length - 1;
  for (const k of cutoffs) {
    counts.clear();
    let rows = 0;
    for (let user = 0; user < userCount; user++) {
      const start = lists.offsets[user] as number;
      const end = Math.min(lists.offsets[user + 1] as number, start + k);
      for (let position = start; position < end; position++) {
        const item = lists.items[position] as number;
        counts.set(item, (counts.get(item) ?? 0) + 1);
        rows++;
      }
    }
    let entropy = 0;
    for (const count of counts.values()) entropy -= (count / rows) * Math.log2(count / rows);
    if (rows > 0) metrics[metricName('distributional_coverage', k)] = entropy;
  }
  return metrics;
}

/**
 * diversity@k: per user, 1 - mean cosine co-occurrence over the pairs of their top-k items; averaged over users
 * with at least two items. Costs k(k-1)/2 similarity look-ups per user; a miss merges two sorted user lists.
 */
function diversityMetrics(
  lists: RankedLists,
  cutoffs: readonly number[],
  similarity: (a: number, b: number) => number,
): PairwiseResult {
  const maxK = cutoffs[cutoffs.length - 1] as number;
  const perUser: UserValue[] = [];
  const sums = new Float64Array(cutoffs.length);
  const users = new Int32Array(cutoffs.length);
  // pairSum[m] = summed similarity over the pairs within the first m items.
  const pairSum = new Float64Array(maxK + 1);
  const userCount = lists.offsets.length - 1;
  for (let user = 0; user < userCount; user++) {
    const start = lists.offsets[user] as number;
    const length = Math.min((lists.offsets[user + 1] as number) - start, maxK);
    if (length < 2) continue;
    for (let j = 1; j < length; j++) {
      let sum = pairSum[j] as number;
      const item = lists.items[start + j] as number;
      for (let i = 0; i < j; i++) sum += similarity(lists.items[start + i] as number, item);
      pairSum[j + 1] = sum;
    }
    for (const [index, k] of cutoffs.entries()) {
      const m = Math.min(k, length);
      if (m < 2) continue;
      addAt(sums, index, 1 - (pairSum[m] as number) / ((m * (m - 1)) / 2));
      addAt(users, index, 1);
    }
    perUser.push({ user, value: 1 - (pairSum[length] as number) / ((length * (length - 1)) / 2) });
  }
  return { metrics: userMeans('diversity', cutoffs, { sums, users }), perUser, sums, users };
}
