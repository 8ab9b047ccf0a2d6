import {
  booleanInput,
  choiceInput,
  InputError,
  listInput,
  optionalInput,
  optionalNumberInput,
  optionalText,
  readInputs,
  textInput,
  yamlText,
  type InputReader,
  type InputSpec,
} from '@recsys-actions/core';
import { FAIL_ON_LEVELS, parseSize, type SizeLimit } from '@recsys-actions/quality-gate';
import { checkPairedInputs, pairedInputSpecs } from './paired';

export const THRESHOLDS_EXAMPLE = "'ndcg@10: {min: 0.42}'";

/** How each input of validate-model is read; `test/action-defaults.test.ts` holds their fallbacks to action.yml. */
export function inputSpecs(workspace: string) {
  return {
    metrics: optionalText('metrics', 'metrics.json'),
    recommendations: optionalText('recommendations', 'eval/recommendations.csv'),
    interactions: optionalText('interactions', 'eval/ground-truth.csv'),
    ratingPredictions: optionalText('rating-predictions', 'eval/predictions.csv'),
    trainInteractions: optionalText('train-interactions', 'data/train.csv'),
    partialOnly: booleanInput('partial-only', false),
    partialPath: textInput('partial-path', 'validate-model-partial.json', 'partials/shard-1.json'),
    mergePartials: optionalText('merge-partials', 'partials/*.json'),
    k: cutoffsInput(),
    userColumn: textInput('user-column', 'user', 'user_id'),
    itemColumn: textInput('item-column', 'item', 'item_id'),
    scoreColumn: textInput('score-column', 'score'),
    rankColumn: textInput('rank-column', 'rank'),
    ratingColumn: textInput('rating-column', 'rating'),
    predictionColumn: textInput('prediction-column', 'prediction'),
    relevanceThreshold: optionalNumberInput('relevance-threshold', { example: '4' }),
    ndcgGain: choiceInput('ndcg-gain', ['binary', 'rating', 'exp2'] as const, 'binary'),
    thresholds: yamlText('thresholds', THRESHOLDS_EXAMPLE, workspace),
    baseline: optionalText('baseline', 'champion/metrics.json'),
    modelPath: optionalText('model-path', 'model/'),
    modelVersion: optionalText('model-version', 'v2026.11.22'),
    maxModelSize: maxSizeInput(),
    environment: optionalText('environment', 'staging'),
    failOn: choiceInput('fail-on', FAIL_ON_LEVELS, 'critical'),
    comment: choiceInput('comment', ['auto', 'true', 'false'] as const, 'auto'),
    token: optionalText('token', '${{ github.token }}'),
    ...pairedInputSpecs(),
    shadowLog: optionalText('shadow-log', 'logs/shadow.jsonl'),
  };
}

/**
 * Every input of validate-model, parsed and checked before any file is read. The thresholds' schema (zod) and the
 * YAML parser load only when thresholds are given, after the plain inputs are known to be good.
 */
export async function readValidateModelInputs(read: InputReader, workspace: string) {
  const { thresholds: thresholdsText, ...inputs } = readInputs(inputSpecs(workspace), read);
  checkShardInputs(inputs);
  if (!inputs.metrics && !inputs.recommendations && !inputs.mergePartials && !inputs.shadowLog) {
    throw new InputError(
      'metrics',
      'or `recommendations` must be given (or `merge-partials` for shards, or `shadow-log`): there are no metrics to check',
      'metrics.json',
    );
  }
  if (inputs.recommendations && !inputs.interactions) {
    throw new InputError(
      'interactions',
      'is required when `recommendations` is given',
      'eval/ground-truth.csv',
    );
  }
  checkPairedInputs(inputs);
  const thresholds =
    thresholdsText === undefined ? {} : (await import('./thresholds')).parseThresholds(thresholdsText);
  return { ...inputs, thresholds };
}

export type ValidateModelInputs = Awaited<ReturnType<typeof readValidateModelInputs>>;

/** Longer lists than this are not recommendations a person reads, and cost memory in proportion to k. */
const MAX_CUTOFF = 1000;

function cutoffsInput(): InputSpec<number[]> {
  const list = listInput('k', '5,10,20', ['10']);
  return {
    ...list,
    parse(raw) {
      const items = list.parse(raw);
      if (items.length === 0) throw new InputError('k', 'must list at least one cut-off', '5,10,20');
      const cutoffs = items.map((item) => Number(item));
      const bad = items.find((item, index) => {
        const cutoff = cutoffs[index] ?? 0;
        return !Number.isInteger(cutoff) || cutoff <= 0 || cutoff > MAX_CUTOFF;
      });
      if (bad !== undefined)
        throw new InputError('k', `must be whole numbers from 1 to ${MAX_CUTOFF}, got '${bad}'`, '5,10,20');
      return [...new Set(cutoffs)].sort((a, b) => a - b);
    },
  };
}

function maxSizeInput(): InputSpec<SizeLimit | undefined> {
  return optionalInput('max-model-size', '1GB', (raw) => {
    const bytes = parseSize(raw);
    if (bytes === undefined)
      throw new InputError('max-model-size', `must be a size such as 1GB or 500MiB, got '${raw}'`, '1GB');
    return { bytes, text: raw };
  });
}

export const MERGE_EXAMPLE = 'partials/*.json';

/** The shard inputs exclude each other: a shard writes its partial, a later job merges them and gates. */
export function checkShardInputs(inputs: {
  partialOnly: boolean;
  mergePartials?: string;
  recommendations?: string;
}): void {
  if (inputs.partialOnly && inputs.mergePartials) {
    throw new InputError(
      'merge-partials',
      'cannot be combined with `partial-only: true`: each shard writes its partial, and a later job merges them',
      MERGE_EXAMPLE,
    );
  }
  if (inputs.partialOnly && !inputs.recommendations) {
    throw new InputError(
      'partial-only',
      "needs `recommendations` and `interactions`: a shard's partial results are computed from its data",
      'true',
    );
  }
  if (inputs.mergePartials && inputs.recommendations) {
    throw new InputError(
      'merge-partials',
      'cannot be combined with `recommendations`: merge the shards of one evaluation, or evaluate one data set',
      MERGE_EXAMPLE,
    );
  }
}
