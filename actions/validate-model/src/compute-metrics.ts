import { withInputNames } from '@recsys-actions/core';
import {
  evaluate,
  isKnownMetricName,
  type EvaluateOptions,
  type Evaluation,
  type UserMetric,
  type UserTables,
} from '@recsys-actions/recsys-eval';
import { PAIRED_FIELDS, pairedOptions } from './paired';

export { parseMetricName } from '@recsys-actions/recsys-eval';
import type { ValidateModelInputs } from './inputs';

/** Whether recsys-eval can compute a metric of this name (e.g. ndcg@10), so typos in rules fail early. */
export const isComputableMetric = isKnownMetricName;

type ResolveFile = (input: string, value: string) => string;

/** Computes the offline metrics from the data inputs, resolving every path inside the workspace first. */
export async function computeMetrics(
  inputs: ValidateModelInputs,
  file: ResolveFile,
  workerScript: URL | undefined,
) {
  // A bad champion file or confidence is reported under its own input's name.
  const options = evaluateOptions(inputs, file, workerScript);
  return reportedEvaluation(await withInputNames(PAIRED_FIELDS, () => evaluate(options)));
}

/**
 * recsys-eval's options from the action's inputs, every path resolved inside the workspace; the recommendation
 * files are read on worker threads running `workerScript` when one is given.
 */
export function evaluateOptions(
  inputs: ValidateModelInputs,
  file: ResolveFile,
  workerScript?: URL,
): EvaluateOptions {
  const optional = (input: string, value: string | undefined) => (value ? file(input, value) : undefined);
  return {
    recommendations: file('recommendations', inputs.recommendations ?? ''),
    interactions: file('interactions', inputs.interactions ?? ''),
    ratingPredictions: optional('rating-predictions', inputs.ratingPredictions),
    trainInteractions: optional('train-interactions', inputs.trainInteractions),
    k: inputs.k,
    columns: {
      user: inputs.userColumn,
      item: inputs.itemColumn,
      score: inputs.scoreColumn,
      rank: inputs.rankColumn,
      rating: inputs.ratingColumn,
      prediction: inputs.predictionColumn,
    },
    relevanceThreshold: inputs.relevanceThreshold,
    ndcgGain: inputs.ndcgGain,
    paired: pairedOptions(inputs, file),
    workerScript,
  };
}

/** What the report and the gate use of an evaluation, computed whole or merged from shards. */
export function reportedEvaluation(result: Evaluation) {
  return {
    metrics: result.metrics,
    notes: result.notes,
    counts: result.counts,
    userTables: result.userTables === undefined ? null : tablesForReport(result.userTables),
    paired: result.paired,
  };
}

/** Rows per per-user table in the report: enough to read, small enough for a report of millions of users. */
export const USER_TABLE_LIMIT = 10_000;

/** The report's per-user tables: the lowest values first (the users a reviewer looks at), at most the limit. */
function tablesForReport(tables: UserTables) {
  const table = (rows: UserMetric[], users = rows.length) => ({
    users,
    rows: [...rows]
      .sort((a, b) => a.value - b.value || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
      .slice(0, USER_TABLE_LIMIT),
  });
  return {
    k: tables.k,
    limit: USER_TABLE_LIMIT,
    diversity: table(tables.diversity, tables.users?.diversity),
    serendipity: table(tables.serendipity, tables.users?.serendipity),
  };
}
