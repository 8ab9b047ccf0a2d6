import { ConfigError } from '@recsys-actions/core';
import type { TabularFormat } from '@recsys-actions/data';
import type { PairedOptions } from './paired';

export const NDCG_GAINS = ['binary', 'rating', 'exp2'] as const;
export type NdcgGain = (typeof NDCG_GAINS)[number];

export interface ColumnNames {
  readonly user: string;
  readonly item: string;
  readonly score: string;
  readonly rank: string;
  readonly rating: string;
  readonly prediction: string;
}

export const DEFAULT_COLUMNS: ColumnNames = {
  user: 'user',
  item: 'item',
  score: 'score',
  rank: 'rank',
  rating: 'rating',
  prediction: 'prediction',
};

export type EvaluationFile = 'recommendations' | 'interactions' | 'ratingPredictions' | 'trainInteractions';

export interface EvaluateOptions {
  /** Ranked lists: user, item and score (higher is better) or rank (1 is best). */
  readonly recommendations: string;
  /** Held-out ground truth: user, item and, when a metric needs it, rating. */
  readonly interactions: string;
  /** Predicted ratings (user, item, prediction) for rmse, mae, rsquared, exp_var, auc and logloss. */
  readonly ratingPredictions?: string;
  /** Training interactions (user, item) for coverage, novelty, diversity and serendipity. */
  readonly trainInteractions?: string;
  /** Cut-offs, e.g. [10, 100]. */
  readonly k: readonly number[];
  readonly columns?: Partial<ColumnNames>;
  /** Only interactions whose rating is at least this are relevant. */
  readonly relevanceThreshold?: number;
  readonly ndcgGain?: NdcgGain;
  /** Compute diversity@k when train interactions are given (default true); it costs O(users x k^2) pairs. */
  readonly diversity?: boolean;
  /** Compute serendipity@k when train interactions are given (default true); O(users x k x history) pairs. */
  readonly serendipity?: boolean;
  /** Per-file format overrides for files whose extension does not say it. */
  readonly formats?: Partial<Record<EvaluationFile, TabularFormat>>;
  /** Compare with a champion's recommendations for the same users (see paired.ts); read like `recommendations`. */
  readonly paired?: PairedOptions;
  /**
   * Reads the recommendation files (the challenger's and the champion's) on worker threads started from this
   * script while this thread reads the interactions. The script must serve EVALUATION_WORKER_TASKS with core's
   * serveWorkerTask when started as a worker; without it every file is read here, one after another.
   */
  readonly workerScript?: string | URL;
}

/** Distinct cut-offs, ascending; `k` must hold positive whole numbers, else a {@link ConfigError} names it. */
export function validateCutoffs(k: readonly number[]): number[] {
  if (k.length === 0) throw new ConfigError('k', 'must list at least one cut-off', '10, 100');
  for (const value of k) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ConfigError('k', `must hold positive whole numbers, got ${value}`, '10, 100');
    }
  }
  return [...new Set(k)].sort((a, b) => a - b);
}

/** Whether the interactions file must have a rating column for the requested metrics. */
export function needsRatings(options: EvaluateOptions): boolean {
  return (
    options.relevanceThreshold !== undefined ||
    (options.ndcgGain ?? 'binary') !== 'binary' ||
    options.ratingPredictions !== undefined
  );
}
