import { DataError } from '@recsys-actions/core';
import { beyondAccuracyMetrics } from './beyond-accuracy';
import { readGroundTruth, type GroundTruth } from './ground-truth';
import { TextInterner } from '@recsys-actions/data';
import type { ColumnNames, EvaluateOptions } from './options';
import { DEFAULT_COLUMNS, needsRatings, validateCutoffs } from './options';
import { rankingMetrics, type RankingResult } from './ranking-metrics';
import { areaUnderRoc, explainedVariance, logLoss, rSquared } from './fit-metrics';
import { ratingErrors, type RatingErrors } from './rating-metrics';
import type { RankedLists } from './recommendations';
import { resamplingPartInWorker, startReadingLists } from './worker-tasks';
import { readTrainStats, type TrainStats } from './train';
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
  /** After a merge the tables hold only the lowest values; these count every user behind them. */
  readonly users?: { readonly diversity: number; readonly serendipity: number };
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
  const loaded = await loadEvaluation(options);
  const { ranking, rankingCounts, truth, lists, cutoffs, context } = loaded;
  const notes: string[] = [];
  noteUserCoverage(notes, rankingCounts, truth.userCount, options.relevanceThreshold);
  const paired = options.paired && (await pairedPart(options.paired, loaded, options.workerScript));
  const rating =
    loaded.ratingErrors === undefined
      ? undefined
      : ratingPart(loaded.ratingErrors, options.relevanceThreshold);
  const train =
    loaded.trainStats === undefined
      ? undefined
      : trainPart(loaded.trainStats, options, lists, cutoffs, context);
  return {
    metrics: { ...ranking.metrics, ...rating?.metrics, ...train?.metrics },
    counts: { ...rankingCounts, ...rating?.counts, ...train?.counts },
    notes: [...notes, ...(rating?.notes ?? []), ...(train?.notes ?? [])],
    ...(train?.userTables === undefined ? {} : { userTables: train.userTables }),
    ...(paired === undefined ? {} : { paired }),
  };
}

/** Everything read from the files of one evaluation, before any metric beyond ranking is computed. */
export interface LoadedEvaluation {
  readonly cutoffs: number[];
  readonly context: ReadContext;
  readonly truth: GroundTruth;
  readonly lists: RankedLists;
  readonly ranking: RankingResult;
  readonly rankingCounts: EvaluationCounts;
  readonly ratingErrors?: RatingErrors;
  readonly trainStats?: TrainStats;
  /** With `paired` options: the champion's lists in the same ids, read after every other file. */
  readonly readBaseline?: () => Promise<RankedLists>;
}

/**
 * Reads every file of an evaluation into shared ids and computes the ranking metrics (with their sums); refuses
 * data with nobody to score unless told this is one shard of many.
 */
export async function loadEvaluation(
  options: EvaluateOptions,
  { allowNobodyToScore = false } = {},
): Promise<LoadedEvaluation> {
  const cutoffs = checkOptions(options);
  const columns: ColumnNames = { ...DEFAULT_COLUMNS, ...options.columns };
  const formats = options.formats ?? {};
  const context = { columns, users: new TextInterner(), items: new TextInterner() };
  const { users, items } = context;
  const maxK = cutoffs[cutoffs.length - 1] as number;
  // Both models' lists are read on workers (when a script is given) while this thread reads the interactions.
  const script = options.workerScript;
  const lists = startReadingLists(
    { path: options.recommendations, format: formats.recommendations, columns, maxK },
    script,
  );
  const baseline =
    options.paired &&
    startReadingLists({ path: options.paired.recommendations, format: undefined, columns, maxK }, script);
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
  const read = await rankedPart(options, truth, await lists(users, items), cutoffs, context, {
    allowNobodyToScore,
  });
  return {
    ...read,
    ...(baseline === undefined ? {} : { readBaseline: () => baseline(users, items) }),
  };
}

/** The ranking metrics of the lists, then the optional files, read against the same ids. */
async function rankedPart(
  options: EvaluateOptions,
  truth: GroundTruth,
  lists: RankedLists,
  cutoffs: number[],
  context: ReadContext,
  { allowNobodyToScore }: { allowNobodyToScore: boolean },
): Promise<LoadedEvaluation> {
  const { users, items } = context;
  const ranking = rankingMetrics(truth, lists, cutoffs, items.size);
  // A shard may hold no scoreable user; only the merged whole must have some.
  if (!allowNobodyToScore) requireEvaluableUsers(options, ranking, users);
  const rankingCounts = {
    users: users.size,
    recommendationRows: lists.rows,
    recommendationUsers: lists.userCount,
    groundTruthRows: truth.rows,
    groundTruthUsers: ranking.groundTruthUsers,
    evaluatedUsers: ranking.evaluatedUsers,
  };
  const { ratingErrors: ratingErrorsRead, trainStats } = await readOptionalFiles(options, truth, context);
  return {
    cutoffs,
    context,
    truth,
    lists,
    ranking,
    rankingCounts,
    ...(ratingErrorsRead === undefined ? {} : { ratingErrors: ratingErrorsRead }),
    ...(trainStats === undefined ? {} : { trainStats }),
  };
}

/** The cut-offs, ascending, once every option is checked: a bad one fails before any file is read. */
function checkOptions(options: EvaluateOptions): number[] {
  if (options.paired) checkPairedOptions(options.paired);
  return validateCutoffs(options.k);
}

/** The champion's lists in the same users' and items' ids, compared with the challenger's. */
async function pairedPart(
  options: NonNullable<EvaluateOptions['paired']>,
  loaded: LoadedEvaluation,
  script: string | URL | undefined,
): Promise<PairedComparison | undefined> {
  if (loaded.readBaseline === undefined) return undefined;
  const { truth, lists, cutoffs, context } = loaded;
  // Started before the champion's lists are put into the shared ids and scored, which its start-up then overlaps.
  const otherThread = script === undefined ? undefined : resamplingPartInWorker(script);
  try {
    const baseline = await loaded.readBaseline();
    return await comparePaired(truth, lists, baseline, cutoffs, context, options, otherThread?.run);
  } finally {
    otherThread?.stopIdle();
  }
}

/** The ids the other files are read against: every file of one evaluation shares them. */
export interface ReadContext {
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

/** The rating predictions and train interactions, when given, read against the same ids. */
async function readOptionalFiles(options: EvaluateOptions, truth: GroundTruth, context: ReadContext) {
  const { columns, users, items } = context;
  const formats = options.formats ?? {};
  const predictions = options.ratingPredictions;
  const train = options.trainInteractions;
  return {
    ratingErrors:
      predictions === undefined
        ? undefined
        : await ratingErrors(predictions, formats.ratingPredictions, columns, truth, users, items),
    trainStats:
      train === undefined
        ? undefined
        : await readTrainStats(train, formats.trainInteractions, columns, users, items),
  };
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

function ratingPart(errors: RatingErrors, relevanceThreshold: number | undefined): EvaluationPart {
  const counts = { predictionRows: errors.predictionRows, matchedPredictionRows: errors.matchedRows };
  if (errors.matchedRows === 0) {
    return { metrics: {}, counts, notes: [NO_MATCHED_PREDICTION] };
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
    notes.push(NOT_BINARY_NOTE);
    return { metrics, counts, notes };
  }
  const auc = areaUnderRoc(labels, errors.predictions);
  if (auc === undefined) notes.push('auc needs both relevant and irrelevant rated pairs; not reported.');
  else metrics.auc = auc;
  const outside = errors.predictions.find((p) => !isProbability(p));
  if (outside === undefined) metrics.logloss = logLoss(labels, errors.predictions);
  else notes.push(notProbabilityNote(outside));
  return { metrics, counts, notes };
}

export const NO_MATCHED_PREDICTION =
  'No rating prediction matched an interaction on (user, item), so rmse, mae, rsquared, exp_var, auc and logloss are not reported.';

export const NOT_BINARY_NOTE =
  'auc and logloss are not reported: they need 0/1 ratings in the interactions, or a relevance threshold to make them 0/1.';

export function isProbability(value: number): boolean {
  return value >= 0 && value <= 1;
}

export function notProbabilityNote(value: number): string {
  return `logloss reads predictions as probabilities, and ${value} is not between 0 and 1; not reported.`;
}

/** The labels auc and logloss score against: rating ≥ threshold, else the rating itself when every one is 0 or 1. */
export function binaryLabels(
  ratings: Float64Array,
  relevanceThreshold: number | undefined,
): Uint8Array | undefined {
  if (relevanceThreshold !== undefined)
    return Uint8Array.from(ratings, (r) => (r >= relevanceThreshold ? 1 : 0));
  if (!ratings.every((r) => r === 0 || r === 1)) return undefined;
  return Uint8Array.from(ratings);
}

function trainPart(
  train: TrainStats,
  options: EvaluateOptions,
  lists: RankedLists,
  cutoffs: number[],
  { users }: ReadContext,
): EvaluationPart {
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
  const notes = untrainedNotes(beyond.untrainedRows, maxK);
  return { metrics: beyond.metrics, counts: { trainRows: train.rows }, notes, userTables };
}

export function untrainedNotes(untrainedRows: number, maxK: number): string[] {
  if (untrainedRows === 0) return [];
  return [
    `${untrainedRows} recommended rows (top ${maxK}) name items absent from the train interactions; coverage and novelty leave them out.`,
  ];
}

export function noteUserCoverage(
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
