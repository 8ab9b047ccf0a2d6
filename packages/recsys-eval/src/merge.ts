import { DataError } from '@recsys-actions/core';
import {
  NO_MATCHED_PREDICTION,
  NOT_BINARY_NOTE,
  noteUserCoverage,
  notProbabilityNote,
  untrainedNotes,
  type Evaluation,
  type EvaluationCounts,
} from './evaluate';
import { oneMinusRatio } from './fit-metrics';
import { metricName } from './metric-names';
import { checkPartialsAgree } from './merge-checks';
import { byValueThenUser, PARTIAL_USER_TABLE_ROWS } from './partial';
import type { EvaluationPartial, Moments, RatingPartial, TrainPartial } from './partial-format';
import { averages, emptySums, RANKING_SUMS } from './ranking-metrics';
import { userMeans } from './user-means';

/** A partial result and the file it came from, which errors name. */
export interface PartialFile {
  readonly path: string;
  readonly partial: EvaluationPartial;
}

/**
 * The evaluation of the whole data from its shards' partial results, in any order: ranking and rating metrics
 * from summed per-user values and row sums, coverage from the union of items, diversity and serendipity from
 * per-user sums (each shard having read the same train file). auc needs every prediction at once: not reported.
 */
export function mergePartials(files: readonly PartialFile[]): Evaluation {
  const first = checkPartialsAgree(files);
  const partials = files.map((file) => file.partial);
  const counts = sumCounts(partials);
  const cutoffs = first.k;
  const sums = emptySums(cutoffs.length);
  for (const partial of partials) {
    for (const name of RANKING_SUMS) {
      partial.ranking[name].forEach((value, index) => {
        sums[name][index] = (sums[name][index] as number) + value;
      });
    }
  }
  requireScoredUsers(files, counts);
  const notes: string[] = [`Merged from ${files.length} partial results.`];
  const threshold = first.relevanceThreshold ?? undefined;
  noteUserCoverage(notes, counts, counts.interactionUsers, threshold);
  const metrics = averages(sums, cutoffs, counts.evaluatedUsers, counts.groundTruthUsers);
  const { interactionUsers: _left, ...evaluationCounts } = counts;
  const result: Evaluation = { metrics, counts: evaluationCounts, notes };
  if (first.rating !== null)
    mergeRating(
      result,
      partials.map((p) => p.rating as RatingPartial),
      threshold,
    );
  if (first.train !== null)
    return mergeTrain(
      result,
      partials.map((p) => p.train as TrainPartial),
      cutoffs,
    );
  return result;
}

function sumCounts(partials: readonly EvaluationPartial[]): EvaluationCounts & { interactionUsers: number } {
  const total = { ...(partials[0] as EvaluationPartial).counts };
  for (const partial of partials.slice(1)) {
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += partial.counts[key];
  }
  return total;
}

/** Chan et al.'s pairwise update: the mean and squared deviations of two shards' values together. */
function mergeMoments(a: Moments, countA: number, b: Moments, countB: number): Moments {
  const count = countA + countB;
  if (count === 0) return { mean: 0, m2: 0 };
  const delta = b.mean - a.mean;
  return {
    mean: a.mean + (delta * countB) / count,
    m2: a.m2 + b.m2 + (delta * delta * countA * countB) / count,
  };
}

function mergeRating(result: Evaluation, shards: RatingPartial[], threshold: number | undefined): void {
  let total = shards[0] as RatingPartial;
  for (const shard of shards.slice(1)) {
    total = {
      predictionRows: total.predictionRows + shard.predictionRows,
      matchedRows: total.matchedRows + shard.matchedRows,
      squaredError: total.squaredError + shard.squaredError,
      absoluteError: total.absoluteError + shard.absoluteError,
      ratings: mergeMoments(total.ratings, total.matchedRows, shard.ratings, shard.matchedRows),
      errors: mergeMoments(total.errors, total.matchedRows, shard.errors, shard.matchedRows),
      binaryLabels: total.binaryLabels && shard.binaryLabels,
      logLossSum:
        total.logLossSum === null || shard.logLossSum === null ? null : total.logLossSum + shard.logLossSum,
      notProbability: total.notProbability ?? shard.notProbability,
    };
  }
  Object.assign(result.counts, {
    predictionRows: total.predictionRows,
    matchedPredictionRows: total.matchedRows,
  });
  const n = total.matchedRows;
  if (n === 0) {
    result.notes.push(NO_MATCHED_PREDICTION);
    return;
  }
  Object.assign(result.metrics, {
    rmse: Math.sqrt(total.squaredError / n),
    mae: total.absoluteError / n,
    rsquared: oneMinusRatio(total.squaredError, total.ratings.m2),
    exp_var: oneMinusRatio(total.errors.m2 / n, total.ratings.m2 / n),
  });
  const labelled = threshold !== undefined || total.binaryLabels;
  if (!labelled) {
    result.notes.push(NOT_BINARY_NOTE);
    return;
  }
  result.notes.push(
    'auc is not reported for merged shards: it ranks every prediction against every other, so it needs the whole data in one run.',
  );
  if (total.notProbability !== null) result.notes.push(notProbabilityNote(total.notProbability));
  else if (total.logLossSum !== null) result.metrics.logloss = total.logLossSum / n;
}

function mergeTrain(result: Evaluation, shards: TrainPartial[], cutoffs: number[]): Evaluation {
  const first = shards[0] as TrainPartial;
  const maxK = cutoffs[cutoffs.length - 1] as number;
  Object.assign(result.counts, { trainRows: first.rows });
  Object.assign(result.metrics, coverageMetrics(shards, cutoffs));
  for (const metric of ['diversity', 'serendipity'] as const) {
    if (first[metric] === null) continue;
    const sums = new Float64Array(cutoffs.length);
    const users = new Int32Array(cutoffs.length);
    for (const shard of shards) {
      shard[metric]?.sums.forEach((value, index) => (sums[index] = (sums[index] as number) + value));
      shard[metric]?.users.forEach((value, index) => (users[index] = (users[index] as number) + value));
    }
    Object.assign(result.metrics, userMeans(metric, cutoffs, { sums, users }));
  }
  const untrained = shards.reduce((sum, shard) => sum + shard.untrainedRows, 0);
  result.notes.push(...untrainedNotes(untrained, maxK));
  const table = (metric: 'diversity' | 'serendipity') => ({
    users: shards.reduce((sum, shard) => sum + shard.userTables[metric].users, 0),
    rows: shards
      .flatMap((shard) => shard.userTables[metric].lowest)
      .sort(byValueThenUser)
      .slice(0, PARTIAL_USER_TABLE_ROWS),
  });
  const diversity = table('diversity');
  const serendipity = table('serendipity');
  return {
    ...result,
    userTables: {
      k: maxK,
      diversity: diversity.rows,
      serendipity: serendipity.rows,
      users: { diversity: diversity.users, serendipity: serendipity.users },
    },
  };
}

/** coverage@k (union of trained items), distributional_coverage@k (entropy of summed counts) and novelty@k. */
function coverageMetrics(shards: TrainPartial[], cutoffs: number[]): Record<string, number> {
  const first = shards[0] as TrainPartial;
  const rowsByItem = new Map<string, { trained: boolean; rows: number[] }>();
  for (const shard of shards) {
    shard.items.forEach((item, slot) => {
      let entry = rowsByItem.get(item);
      if (entry === undefined) {
        entry = { trained: shard.trained[slot] === true, rows: cutoffs.map(() => 0) };
        rowsByItem.set(item, entry);
      }
      for (let index = 0; index < cutoffs.length; index++)
        entry.rows[index] = (entry.rows[index] as number) + (shard.topRows[index]?.[slot] ?? 0);
    });
  }
  const metrics: Record<string, number> = {};
  for (const [index, k] of cutoffs.entries()) {
    let covered = 0;
    let rows = 0;
    for (const entry of rowsByItem.values()) {
      const count = entry.rows[index] as number;
      if (entry.trained && count > 0) covered++;
      rows += count;
    }
    metrics[metricName('coverage', k)] = covered / first.distinctItems;
    let entropy = 0;
    for (const entry of rowsByItem.values()) {
      const count = entry.rows[index] as number;
      if (count > 0) entropy -= (count / rows) * Math.log2(count / rows);
    }
    if (rows > 0) metrics[metricName('distributional_coverage', k)] = entropy;
    const information = shards.reduce((sum, shard) => sum + (shard.information[index] as number), 0);
    const trainedRows = shards.reduce((sum, shard) => sum + (shard.trainedRows[index] as number), 0);
    if (trainedRows > 0) metrics[metricName('novelty', k)] = information / trainedRows;
  }
  return metrics;
}

/** As an unsharded run refuses data with nobody to score, so does a merge; the shards' inputs are what to fix. */
function requireScoredUsers(files: readonly PartialFile[], counts: EvaluationCounts): void {
  const first = (files[0] as PartialFile).path;
  const shards = files.length === 1 ? first : `${files.length} partial results (${first}, ...)`;
  if (counts.groundTruthUsers === 0)
    throw new DataError(
      shards,
      'hold no relevant interaction to evaluate against (counts.groundTruthUsers is 0 in every one)',
    );
  if (counts.evaluatedUsers === 0) {
    throw new DataError(
      shards,
      'share no user between recommendations and interactions (counts.evaluatedUsers is 0 in every one); check that both use the same user ids',
    );
  }
}
