import { DataError } from '@recsys-actions/core';
import { beyondAccuracyMetrics } from './beyond-accuracy';
import { readGroundTruth } from './ground-truth';
import { TextInterner } from '@recsys-actions/data';
import type { ColumnNames, EvaluateOptions } from './options';
import { DEFAULT_COLUMNS, needsRatings, validateCutoffs } from './options';
import { rankingMetrics } from './ranking-metrics';
import { ratingErrors } from './rating-metrics';
import { readRankedLists } from './recommendations';
import { readTrainStats } from './train';

export interface EvaluationCounts {
  /** Distinct users across recommendations and interactions. */
  readonly users: number;
  readonly recommendationRows: number;
  readonly recommendationUsers: number;
  readonly groundTruthRows: number;
  /** Users with at least one relevant interaction. */
  readonly groundTruthUsers: number;
  /** Ground-truth users that also have recommendations. */
  readonly evaluatedUsers: number;
  readonly predictionRows?: number;
  readonly matchedPredictionRows?: number;
  readonly trainRows?: number;
}

export interface Evaluation {
  /** Metric name (`ndcg@10`, `rmse`, ...) to value. */
  readonly metrics: Record<string, number>;
  readonly counts: EvaluationCounts;
  /** Plain sentences about users or rows a metric left out, for reports. */
  readonly notes: string[];
}

/** Computes offline metrics from files; see the package README for the exact definitions. */
export async function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  const cutoffs = validateCutoffs(options.k);
  const columns: ColumnNames = { ...DEFAULT_COLUMNS, ...options.columns };
  const formats = options.formats ?? {};
  const users = new TextInterner();
  const items = new TextInterner();
  const notes: string[] = [];

  const truth = await readGroundTruth(
    options.interactions,
    {
      format: formats.interactions,
      columns,
      withRatings: needsRatings(options),
      relevanceThreshold: options.relevanceThreshold,
      ndcgGain: options.ndcgGain ?? 'binary',
    },
    users,
    items,
  );
  const maxK = cutoffs[cutoffs.length - 1] as number;
  const lists = await readRankedLists(
    options.recommendations,
    formats.recommendations,
    columns,
    maxK,
    users,
    items,
  );
  const ranking = rankingMetrics(truth, lists, cutoffs, items.size);
  if (ranking.groundTruthUsers === 0) {
    throw new DataError(
      options.interactions,
      options.relevanceThreshold === undefined
        ? 'has no interactions to evaluate against'
        : `has no interaction rated at least ${options.relevanceThreshold} (the relevanceThreshold)`,
    );
  }
  if (ranking.evaluatedUsers === 0) {
    throw new DataError(
      options.recommendations,
      `shares no user with ${options.interactions}; check that both use the same user ids (e.g. '${users.name(0)}')`,
    );
  }
  const metrics: Record<string, number> = { ...ranking.metrics };
  const rankingCounts: EvaluationCounts = {
    users: users.size,
    recommendationRows: lists.rows,
    recommendationUsers: lists.userCount,
    groundTruthRows: truth.rows,
    groundTruthUsers: ranking.groundTruthUsers,
    evaluatedUsers: ranking.evaluatedUsers,
  };
  noteUserCoverage(notes, rankingCounts, truth.userCount, options.relevanceThreshold);

  // Counts stay readonly for callers, so the optional ones are gathered here and the record is built once.
  let predictionCounts: Pick<EvaluationCounts, 'predictionRows' | 'matchedPredictionRows'> = {};
  if (options.ratingPredictions !== undefined) {
    const errors = await ratingErrors(
      options.ratingPredictions,
      formats.ratingPredictions,
      columns,
      truth,
      users,
      items,
    );
    predictionCounts = { predictionRows: errors.predictionRows, matchedPredictionRows: errors.matchedRows };
    if (errors.matchedRows === 0) {
      notes.push(
        'No rating prediction matched an interaction on (user, item), so rmse and mae are not reported.',
      );
    } else {
      metrics.rmse = errors.rmse;
      metrics.mae = errors.mae;
    }
  }

  let trainCounts: Pick<EvaluationCounts, 'trainRows'> = {};
  if (options.trainInteractions !== undefined) {
    const train = await readTrainStats(
      options.trainInteractions,
      formats.trainInteractions,
      columns,
      users,
      items,
    );
    trainCounts = { trainRows: train.rows };
    const beyond = beyondAccuracyMetrics(lists, train, cutoffs, options.diversity ?? true);
    Object.assign(metrics, beyond.metrics);
    if (beyond.untrainedRows > 0) {
      notes.push(
        `${beyond.untrainedRows} recommended rows (top ${maxK}) name items absent from the train interactions; coverage and novelty leave them out.`,
      );
    }
  }
  const counts: EvaluationCounts = { ...rankingCounts, ...predictionCounts, ...trainCounts };
  return { metrics, counts, notes };
}

function noteUserCoverage(
  notes: string[],
  counts: EvaluationCounts,
  interactionUsers: number,
  relevanceThreshold: number | undefined,
): void {
  const unrecommended = counts.groundTruthUsers - counts.evaluatedUsers;
  if (unrecommended > 0) {
    notes.push(
      `${unrecommended} of ${counts.groundTruthUsers} ground-truth users have no recommendations: they score 0 in ndcg@k and are left out of the other ranking metrics.`,
    );
  }
  const unjudged = counts.recommendationUsers - counts.evaluatedUsers;
  if (unjudged > 0) {
    notes.push(
      `${unjudged} recommended users have no relevant interaction and are left out of ranking metrics.`,
    );
  }
  const irrelevant = interactionUsers - counts.groundTruthUsers;
  if (irrelevant > 0 && relevanceThreshold !== undefined) {
    notes.push(
      `${irrelevant} users have no interaction rated at least ${relevanceThreshold} and are left out.`,
    );
  }
}
