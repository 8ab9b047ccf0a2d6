import { DataError } from '@recsys-actions/core';
import { beyondAccuracyMetrics } from './beyond-accuracy';
import { readGroundTruth, type GroundTruth } from './ground-truth';
import { TextInterner, type TabularFormat } from '@recsys-actions/data';
import type { ColumnNames, EvaluateOptions } from './options';
import { DEFAULT_COLUMNS, needsRatings, validateCutoffs } from './options';
import { rankingMetrics } from './ranking-metrics';
import { areaUnderRoc, explainedVariance, logLoss, rSquared } from './fit-metrics';
import { ratingErrors } from './rating-metrics';
import { readRankedLists, type RankedLists } from './recommendations';
import { readTrainStats } from './train';
import { checkPairedOptions, comparePaired, type PairedComparison } from './paired';

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

/** One user's value in a per-user table. */
export interface UserMetric {
  readonly user: string;
  readonly value: number;
}

/** MSR's `user_diversity` and `user_serendipity` tables at the largest k (empty when not computed). */
export interface UserTables {
  readonly k: number;
  readonly diversity: UserMetric[];
  readonly serendipity: UserMetric[];
}

export interface Evaluation {
  /** Metric name (`ndcg@10`, `rmse`, ...) to value. */
  readonly metrics: Record<string, number>;
  readonly counts: EvaluationCounts;
  /** Plain sentences about users or rows a metric left out, for reports. */
  readonly notes: string[];
  /** With train interactions: per-user diversity and serendipity. */
  readonly userTables?: UserTables;
  /** With `paired` options: the challenger against the champion on the same users. */
  readonly paired?: PairedComparison;
}

/** Computes offline metrics from files; see the package README for the exact definitions. */
export async function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  const cutoffs = checkOptions(options);
  const columns: ColumnNames = { ...DEFAULT_COLUMNS, ...options.columns };
  const formats = options.formats ?? {};
  const users = new TextInterner();
  const items = new TextInterner();
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
  requireEvaluableUsers(options, ranking, users);
  const rankingCounts = {
    users: users.size,
    recommendationRows: lists.rows,
    recommendationUsers: lists.userCount,
    groundTruthRows: truth.rows,
    groundTruthUsers: ranking.groundTruthUsers,
    evaluatedUsers: ranking.evaluatedUsers,
  };
  const notes: string[] = [];
  noteUserCoverage(notes, rankingCounts, truth.userCount, options.relevanceThreshold);

  const context = { columns, users, items };
  const paired = options.paired && (await pairedPart(options.paired, lists, truth, cutoffs, context));
  const rating =
    options.ratingPredictions === undefined
      ? undefined
      : await ratingPart(options.ratingPredictions, formats.ratingPredictions, truth, {
          ...context,
          relevanceThreshold: options.relevanceThreshold,
        });
  const train =
    options.trainInteractions === undefined
      ? undefined
      : await trainPart(options.trainInteractions, options, lists, cutoffs, context);
  return {
    metrics: { ...ranking.metrics, ...rating?.metrics, ...train?.metrics },
    counts: { ...rankingCounts, ...rating?.counts, ...train?.counts },
    notes: [...notes, ...(rating?.notes ?? []), ...(train?.notes ?? [])],
    ...(train?.userTables === undefined ? {} : { userTables: train.userTables }),
    ...(paired === undefined ? {} : { paired }),
  };
}

/** The cut-offs, ascending, once every option is checked: a bad one fails before any file is read. */
function checkOptions(options: EvaluateOptions): number[] {
  if (options.paired) checkPairedOptions(options.paired);
  return validateCutoffs(options.k);
}

/** Reads the champion's lists against the same users and items, and compares the two models. */
async function pairedPart(
  options: NonNullable<EvaluateOptions['paired']>,
  lists: RankedLists,
  truth: GroundTruth,
  cutoffs: number[],
  { columns, users, items }: ReadContext,
): Promise<PairedComparison> {
  const maxK = cutoffs[cutoffs.length - 1] as number;
  const baseline = await readRankedLists(options.recommendations, undefined, columns, maxK, users, items);
  return comparePaired(truth, lists, baseline, cutoffs, { users, items }, options);
}

/** The ids the other files are read against: every file of one evaluation shares them. */
interface ReadContext {
  columns: ColumnNames;
  users: TextInterner;
  items: TextInterner;
}

/** What an optional input adds to the evaluation. */
interface EvaluationPart {
  metrics: Record<string, number>;
  counts: Partial<EvaluationCounts>;
  notes: string[];
  userTables?: UserTables;
}

/** Refuses an evaluation with nobody to score, naming the file to fix, rather than reporting zeros. */
function requireEvaluableUsers(
  options: EvaluateOptions,
  ranking: { groundTruthUsers: number; evaluatedUsers: number },
  users: TextInterner,
): void {
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
}

async function ratingPart(
  path: string,
  format: TabularFormat | undefined,
  truth: GroundTruth,
  { columns, users, items, relevanceThreshold }: ReadContext & { relevanceThreshold: number | undefined },
): Promise<EvaluationPart> {
  const errors = await ratingErrors(path, format, columns, truth, users, items);
  const counts = { predictionRows: errors.predictionRows, matchedPredictionRows: errors.matchedRows };
  if (errors.matchedRows === 0) {
    const note =
      'No rating prediction matched an interaction on (user, item), so rmse, mae, rsquared, exp_var, auc and logloss are not reported.';
    return { metrics: {}, counts, notes: [note] };
  }
  const metrics: Record<string, number> = {
    rmse: errors.rmse,
    mae: errors.mae,
    rsquared: rSquared(errors.ratings, errors.predictions),
    exp_var: explainedVariance(errors.ratings, errors.predictions),
  };
  const notes: string[] = [];
  const labels = binaryLabels(errors.ratings, relevanceThreshold);
  if (labels === undefined) {
    notes.push(
      'auc and logloss are not reported: they need 0/1 ratings in the interactions, or a relevance threshold to make them 0/1.',
    );
    return { metrics, counts, notes };
  }
  const auc = areaUnderRoc(labels, errors.predictions);
  if (auc === undefined) notes.push('auc needs both relevant and irrelevant rated pairs; not reported.');
  else metrics.auc = auc;
  const outside = errors.predictions.findIndex((p) => !(p >= 0 && p <= 1));
  if (outside === -1) metrics.logloss = logLoss(labels, errors.predictions);
  else {
    notes.push(
      `logloss reads predictions as probabilities, and ${errors.predictions[outside]} is not between 0 and 1; not reported.`,
    );
  }
  return { metrics, counts, notes };
}

/** The labels auc and logloss score against: rating ≥ threshold, else the rating itself when every one is 0 or 1. */
function binaryLabels(ratings: Float64Array, relevanceThreshold: number | undefined): Uint8Array | undefined {
  if (relevanceThreshold !== undefined)
    return Uint8Array.from(ratings, (r) => (r >= relevanceThreshold ? 1 : 0));
  if (!ratings.every((r) => r === 0 || r === 1)) return undefined;
  return Uint8Array.from(ratings);
}

async function trainPart(
  path: string,
  options: EvaluateOptions,
  lists: RankedLists,
  cutoffs: number[],
  { columns, users, items }: ReadContext,
): Promise<EvaluationPart> {
  const format = options.formats?.trainInteractions;
  const train = await readTrainStats(path, format, columns, users, items);
  const beyond = beyondAccuracyMetrics(lists, train, cutoffs, {
    diversity: options.diversity ?? true,
    serendipity: options.serendipity ?? true,
  });
  const maxK = cutoffs[cutoffs.length - 1] as number;
  const named = (values: readonly { user: number; value: number }[]) =>
    values.map(({ user, value }) => ({ user: users.name(user), value }));
  const userTables = {
    k: maxK,
    diversity: named(beyond.perUser.diversity),
    serendipity: named(beyond.perUser.serendipity),
  };
  const notes =
    beyond.untrainedRows > 0
      ? [
          `${beyond.untrainedRows} recommended rows (top ${maxK}) name items absent from the train interactions; coverage and novelty leave them out.`,
        ]
      : [];
  return { metrics: beyond.metrics, counts: { trainRows: train.rows }, notes, userTables };
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
