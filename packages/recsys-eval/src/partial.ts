import { sha256OfFile } from '@recsys-actions/core';
import { beyondAccuracyMetrics } from './beyond-accuracy';
import { binaryLabels, isProbability, loadEvaluation, type LoadedEvaluation } from './evaluate';
import { logLoss } from './fit-metrics';
import type { EvaluateOptions } from './options';
import {
  PARTIAL_FORMAT,
  PARTIAL_VERSION,
  type EvaluationPartial,
  type Moments,
  type RatingPartial,
  type TrainPartial,
} from './partial-format';
import { RANKING_SUMS } from './ranking-metrics';
import type { RatingErrors } from './rating-metrics';
import { forEachRanked } from './recommendations';
import type { UserValue } from './serendipity';

/** Rows kept per per-user table in a partial: the lowest values, enough for any report's table. */
export const PARTIAL_USER_TABLE_ROWS = 10_000;

/**
 * One shard's metrics as sums and counts (see {@link mergePartials}). Shards must split the data by user: every
 * row of a user (recommendations, interactions, predictions) in the same shard; train interactions whole in each.
 */
export async function evaluatePartial(options: EvaluateOptions): Promise<EvaluationPartial> {
  // A shard's partial has no paired comparison, so the champion's lists are not read.
  const loaded = await loadEvaluation({ ...options, paired: undefined }, { allowNobodyToScore: true });
  const { ranking, rankingCounts, truth, cutoffs } = loaded;
  return {
    format: PARTIAL_FORMAT,
    version: PARTIAL_VERSION,
    k: cutoffs,
    ndcgGain: options.ndcgGain ?? 'binary',
    relevanceThreshold: options.relevanceThreshold ?? null,
    counts: { ...rankingCounts, interactionUsers: truth.userCount },
    ranking: Object.fromEntries(
      RANKING_SUMS.map((name) => [name, Array.from(ranking.sums[name])]),
    ) as EvaluationPartial['ranking'],
    rating:
      loaded.ratingErrors === undefined
        ? null
        : ratingPartial(loaded.ratingErrors, options.relevanceThreshold),
    train:
      options.trainInteractions === undefined
        ? null
        : await trainPartial(loaded, options.trainInteractions, options),
  };
}

/** Mean and sum of squared deviations, two-pass for accuracy. */
function momentsOf(values: ArrayLike<number>): Moments {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  const mean = values.length === 0 ? 0 : sum / values.length;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) m2 += ((values[i] as number) - mean) ** 2;
  return { mean, m2 };
}

function ratingPartial(errors: RatingErrors, relevanceThreshold: number | undefined): RatingPartial {
  const { ratings, predictions, matchedRows } = errors;
  const labels = binaryLabels(ratings, relevanceThreshold);
  const notProbability = predictions.find((p) => !isProbability(p));
  return {
    predictionRows: errors.predictionRows,
    matchedRows,
    squaredError: errors.squaredError,
    absoluteError: errors.absoluteError,
    ratings: momentsOf(ratings),
    errors: momentsOf(ratings.map((rating, i) => rating - (predictions[i] as number))),
    binaryLabels: labels !== undefined,
    logLossSum: logLossSum(labels, predictions, notProbability),
    notProbability: notProbability ?? null,
  };
}

/** Σ of the log loss terms (0 for a shard without pairs); null when the shard cannot score them. */
function logLossSum(
  labels: Uint8Array | undefined,
  predictions: Float64Array,
  notProbability: number | undefined,
): number | null {
  if (labels === undefined || notProbability !== undefined) return null;
  return predictions.length === 0 ? 0 : logLoss(labels, predictions) * predictions.length;
}

async function trainPartial(
  loaded: LoadedEvaluation,
  path: string,
  options: EvaluateOptions,
): Promise<TrainPartial> {
  const train = loaded.trainStats;
  if (train === undefined) throw new Error('train partial without train interactions');
  const { lists, cutoffs, context } = loaded;
  const beyond = beyondAccuracyMetrics(lists, train, cutoffs, {
    diversity: options.diversity ?? true,
    serendipity: options.serendipity ?? true,
  });
  const upTo = (perRank: ArrayLike<number>) =>
    cutoffs.map((k) => {
      let sum = 0;
      for (let rank = 1; rank <= k; rank++) sum += perRank[rank] as number;
      return sum;
    });
  const table = topRowsTable(loaded);
  const lowest = (values: UserValue[]) => ({
    users: values.length,
    lowest: values
      .map(({ user, value }) => ({ user: context.users.name(user), value }))
      .sort(byValueThenUser)
      .slice(0, PARTIAL_USER_TABLE_ROWS),
  });
  const sums = (result: typeof beyond.diversity) =>
    result === undefined ? null : { sums: Array.from(result.sums), users: Array.from(result.users) };
  return {
    sha256: (await sha256OfFile(path)).toString('hex'),
    rows: train.rows,
    distinctItems: train.distinctItems,
    untrainedRows: beyond.untrainedRows,
    items: table.items.map((item) => context.items.name(item)),
    trained: table.items.map((item) => item < train.itemRows.length && (train.itemRows[item] as number) > 0),
    topRows: table.topRows,
    information: upTo(beyond.informationAtRank),
    trainedRows: upTo(beyond.rowsAtRank),
    diversity: sums(beyond.diversity),
    serendipity: sums(beyond.serendipity),
    userTables: {
      diversity: lowest(beyond.perUser.diversity),
      serendipity: lowest(beyond.perUser.serendipity),
    },
  };
}

/** The per-user tables' order: lowest value first, then user id, so merged shards list the same rows. */
export function byValueThenUser(a: { user: string; value: number }, b: { user: string; value: number }) {
  return a.value - b.value || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0);
}

/** Each recommended item and how many top-k rows name it, per cut-off: the counts coverage metrics merge from. */
function topRowsTable({ lists, cutoffs, context }: LoadedEvaluation) {
  const slot = new Int32Array(context.items.size).fill(-1);
  const items: number[] = [];
  const topRows: number[][] = cutoffs.map(() => []);
  forEachRanked(lists, (item, rank) => {
    if (slot[item] === -1) {
      slot[item] = items.length;
      items.push(item);
      for (const column of topRows) column.push(0);
    }
    const at = slot[item] as number;
    for (const [index, k] of cutoffs.entries()) {
      const column = topRows[index] as number[];
      if (rank <= k) column[at] = (column[at] as number) + 1;
    }
  });
  return { items, topRows };
}
