import { addAt } from './growable';
import { userMeans, type UserSums } from './user-means';
import type { RankedLists } from './recommendations';
import type { TrainStats } from './train';

/** A metric averaged over users, the per-user values at the largest k, and the sums behind the averages. */
export interface PairwiseResult extends UserSums {
  readonly metrics: Record<string, number>;
  readonly perUser: UserValue[];
}

/** Per-user values at one cut-off, for the report's tables. */
export interface UserValue {
  readonly user: number;
  readonly value: number;
}

/**
 * serendipity@k, Microsoft Recommenders' `serendipity` with its default relevance of 1 (Zhang et al., Auralist):
 * per recommended item, 1 − its mean similarity to the user's distinct train items; per user, the mean over their
 * top-k items; then the mean over users. Users without train items have no history to be surprised against and
 * are left out, as MSR's join leaves them out. Costs k × |history| similarity look-ups per user.
 */
export function serendipityMetrics(
  lists: RankedLists,
  train: TrainStats,
  cutoffs: readonly number[],
  similarity: (a: number, b: number) => number,
): PairwiseResult {
  const maxK = cutoffs[cutoffs.length - 1] as number;
  const sums = new Float64Array(cutoffs.length);
  const users = new Int32Array(cutoffs.length);
  const perUser: UserValue[] = [];
  // prefix[m] = summed item serendipity over the first m items of the list.
  const prefix = new Float64Array(maxK + 1);
  const userCount = Math.min(lists.offsets.length, train.historyOffsets.length) - 1;
  for (let user = 0; user < userCount; user++) {
    const historyStart = train.historyOffsets[user] as number;
    const historyEnd = train.historyOffsets[user + 1] as number;
    const start = lists.offsets[user] as number;
    const length = Math.min((lists.offsets[user + 1] as number) - start, maxK);
    if (historyEnd === historyStart || length === 0) continue;
    for (let position = 0; position < length; position++) {
      const item = lists.items[start + position] as number;
      let similar = 0;
      for (let h = historyStart; h < historyEnd; h++)
        similar += similarity(item, train.userItems[h] as number);
      prefix[position + 1] = (prefix[position] as number) + 1 - similar / (historyEnd - historyStart);
    }
    for (const [index, k] of cutoffs.entries()) {
      const m = Math.min(k, length);
      addAt(sums, index, (prefix[m] as number) / m);
      addAt(users, index, 1);
    }
    perUser.push({ user, value: (prefix[length] as number) / length });
  }
  return { metrics: userMeans('serendipity', cutoffs, { sums, users }), perUser, sums, users };
}
