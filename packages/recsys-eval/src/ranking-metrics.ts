import type { GroundTruth } from './ground-truth';
import { addAt } from './growable';
import { AT_K_METRICS, metricName, type AtKMetric } from './metric-names';
import type { RankedLists } from './recommendations';

export interface RankingResult {
  readonly metrics: Record<string, number>;
  /** Users with a relevant item in the ground truth: the NDCG population. */
  readonly groundTruthUsers: number;
  /** Of those, users with recommendations: the population of the other ranking metrics. */
  readonly evaluatedUsers: number;
  /** The per-user sums the averages divide, one entry per cut-off: what shards add up exactly. */
  readonly sums: RankingSums;
}

/** 1 / log2(rank + 1) for ranks 1..maxK, at index rank. */
function discounts(maxK: number): Float64Array {
  const table = new Float64Array(maxK + 1);
  for (let rank = 1; rank <= maxK; rank++) table[rank] = 1 / Math.log2(rank + 1);
  return table;
}

/**
 * precision, recall, map, map_all, mrr and hit_rate averaged over evaluated users; ndcg averaged over every
 * ground-truth user with a relevant item (0 for those without recommendations); r_precision as Microsoft
 * Recommenders averages it (see {@link addUser}). One pass per user serves every k.
 */
export function rankingMetrics(
  truth: GroundTruth,
  lists: RankedLists,
  cutoffs: readonly number[],
  itemCount: number,
): RankingResult {
  const scorer = new ListScorer(truth, cutoffs, itemCount);
  const sums = emptySums(cutoffs.length);
  const values = new Float64Array(RANKING_METRICS.length);
  const add = (cut: number, k: number, totals: UserTotals) => addUser(sums, cut, k, totals, values);
  let groundTruthUsers = 0;
  let evaluatedUsers = 0;
  for (let user = 0; user < truth.userCount; user++) {
    if (truth.relevantCount[user] === 0) continue;
    groundTruthUsers++;
    const listStart = user < lists.offsets.length - 1 ? (lists.offsets[user] as number) : 0;
    const listEnd = user < lists.offsets.length - 1 ? (lists.offsets[user + 1] as number) : 0;
    if (listEnd === listStart) continue;
    evaluatedUsers++;
    scorer.score(user, lists.items, listStart, listEnd, add);
  }
  return {
    metrics: averages(sums, cutoffs, evaluatedUsers, groundTruthUsers),
    groundTruthUsers,
    evaluatedUsers,
    sums,
  };
}

/**
 * Scores one user's ranked list at every cut-off in one pass. The marks are reused across users, so scoring
 * needs no per-user set; the same user may be scored against several lists (a champion's and a challenger's).
 */
export class ListScorer {
  private readonly discount: Float64Array;
  // markedBy[item] === user while scoring that user: O(1) relevance look-ups without a per-user set.
  private readonly markedBy: Int32Array;
  private readonly markedRow: Int32Array;
  private readonly idealGains: number[] = [];
  // The user whose relevant items are marked: scoring a champion's list after a challenger's marks them once.
  private markedUser = -1;

  constructor(
    private readonly truth: GroundTruth,
    private readonly cutoffs: readonly number[],
    itemCount: number,
  ) {
    this.discount = discounts(cutoffs[cutoffs.length - 1] as number);
    this.markedBy = new Int32Array(itemCount).fill(-1);
    this.markedRow = new Int32Array(itemCount);
  }

  /** Calls `visit` once per cut-off, in order, with the user's totals over `items[start .. end)` cut there. */
  score(
    user: number,
    items: Int32Array,
    start: number,
    end: number,
    visit: (cut: number, k: number, totals: UserTotals) => void,
  ): void {
    const { truth, cutoffs, discount, markedBy, markedRow, idealGains } = this;
    const relevantCount = truth.relevantCount[user] as number;
    if (user !== this.markedUser) markRelevant(truth, user, markedBy, markedRow, idealGains);
    this.markedUser = user;
    const maxK = cutoffs[cutoffs.length - 1] as number;
    const length = end - start;
    let hits = 0;
    let dcg = 0;
    let idcg = 0;
    let precisionSum = 0;
    let firstHit = 0;
    let hitsWithinR = 0;
    let cut = 0;
    for (let rank = 1; rank <= maxK; rank++) {
      if (rank <= relevantCount) idcg += (idealGains[rank - 1] as number) * (discount[rank] as number);
      if (rank <= length) {
        const item = items[start + rank - 1] as number;
        if (markedBy[item] === user) {
          hits++;
          dcg += (truth.gains[markedRow[item] as number] as number) * (discount[rank] as number);
          precisionSum += hits / rank;
          if (firstHit === 0) firstHit = rank;
          if (rank <= relevantCount) hitsWithinR++;
        }
      } else if (rank > relevantCount) {
        // Nothing left to add: record the remaining cut-offs with the totals so far.
        break;
      }
      while (cut < cutoffs.length && cutoffs[cut] === rank) {
        visit(cut, rank, { hits, relevantCount, precisionSum, dcg, idcg, firstHit, hitsWithinR });
        cut++;
      }
    }
    const totals = { hits, relevantCount, precisionSum, dcg, idcg, firstHit, hitsWithinR };
    for (; cut < cutoffs.length; cut++) visit(cut, cutoffs[cut] as number, totals);
  }
}

/**
 * Marks the user's relevant items (markedBy[item] = user, markedRow[item] = their ground-truth row) and
 * leaves their gains, best first, in idealGains: the ideal ranking that IDCG is computed from.
 */
function markRelevant(
  truth: GroundTruth,
  user: number,
  markedBy: Int32Array,
  markedRow: Int32Array,
  idealGains: number[],
): void {
  idealGains.length = 0;
  for (let row = truth.offsets[user] as number; row < (truth.offsets[user + 1] as number); row++) {
    if (truth.relevant[row] === 0) continue;
    markedBy[truth.items[row] as number] = user;
    markedRow[truth.items[row] as number] = row;
    idealGains.push(truth.gains[row] as number);
  }
  idealGains.sort((a, b) => b - a);
}

const AVERAGED_OVER_EVALUATED = ['precision', 'recall', 'map', 'map_all', 'mrr', 'hit_rate'] as const;

/** The names of the running sums, in the order a partial result lists them. */
export const RANKING_SUMS = [...AVERAGED_OVER_EVALUATED, 'ndcg', 'r_precision', 'r_precision_users'] as const;

export type RankingSums = Record<(typeof RANKING_SUMS)[number], Float64Array>;
type Sums = RankingSums;

/** One running sum per metric and cut-off. */
export function emptySums(width: number): Sums {
  const sums = {} as Sums;
  for (const name of RANKING_SUMS) sums[name] = new Float64Array(width);
  return sums;
}

/** NDCG is averaged over every ground-truth user, the other metrics over the users with recommendations. */
export function averages(
  sums: Sums,
  cutoffs: readonly number[],
  evaluatedUsers: number,
  groundTruthUsers: number,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [index, k] of cutoffs.entries()) {
    for (const metric of AVERAGED_OVER_EVALUATED) {
      metrics[metricName(metric, k)] = (sums[metric][index] as number) / evaluatedUsers;
    }
    metrics[metricName('ndcg', k)] = (sums.ndcg[index] as number) / groundTruthUsers;
    const rUsers = sums.r_precision_users[index] as number;
    metrics[metricName('r_precision', k)] = rUsers === 0 ? 0 : (sums.r_precision[index] as number) / rUsers;
  }
  return metrics;
}

/** One user's standing after the first k ranks. */
export interface UserTotals {
  readonly hits: number;
  readonly relevantCount: number;
  /** Sum of precision at each hit's rank. */
  readonly precisionSum: number;
  readonly dcg: number;
  readonly idcg: number;
  /** Rank of the first hit, 0 when none. */
  readonly firstHit: number;
  /** Hits within the first R ranks, R = relevantCount (within the first k, as the list is cut there). */
  readonly hitsWithinR: number;
}

/**
 * The ranking metrics with a value per user (precision to hit_rate, the metric names' first eight), in the order
 * {@link writeUserValues} writes them.
 */
export const RANKING_METRICS = AT_K_METRICS.slice(
  0,
  AT_K_METRICS.indexOf('hit_rate') + 1,
) as readonly Extract<AtKMetric, keyof Sums>[];

/**
 * Writes one user's value of each of {@link RANKING_METRICS} at cut-off k into `out` from `offset`. map divides by
 * min(R, k) (MSR's `map_at_k`), map_all by R (MSR's `map`); r_precision is hits within the first min(R, k) ranks
 * over R.
 */
export function writeUserValues(out: Float64Array, offset: number, k: number, user: UserTotals): void {
  out[offset] = user.hits / k;
  out[offset + 1] = user.hits / user.relevantCount;
  out[offset + 2] = user.precisionSum / Math.min(user.relevantCount, k);
  out[offset + 3] = user.precisionSum / user.relevantCount;
  out[offset + 4] = user.hitsWithinR / user.relevantCount;
  out[offset + 5] = user.idcg === 0 ? 0 : user.dcg / user.idcg;
  out[offset + 6] = user.firstHit === 0 ? 0 : 1 / user.firstHit;
  out[offset + 7] = user.hits > 0 ? 1 : 0;
}

const R_PRECISION = RANKING_METRICS.indexOf('r_precision');

/**
 * Adds one user's values at cut-off k (`values` is scratch space). r_precision is averaged, as MSR's
 * `r_precision_at_k` does, over the users with at least one hit within R; 0 when nobody has one.
 */
function addUser(sums: Sums, cut: number, k: number, user: UserTotals, values: Float64Array): void {
  writeUserValues(values, 0, k, user);
  for (const [index, metric] of RANKING_METRICS.entries()) {
    if (index === R_PRECISION && user.hitsWithinR === 0) continue;
    addAt(sums[metric], cut, values[index] as number);
  }
  if (user.hitsWithinR > 0) addAt(sums.r_precision_users, cut, 1);
}
