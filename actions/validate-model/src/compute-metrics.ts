import { evaluate, isKnownMetricName } from '@recsys-actions/recsys-eval';

export { parseMetricName } from '@recsys-actions/recsys-eval';
import type { ValidateModelInputs } from './inputs';

/** Whether recsys-eval can compute a metric of this name (e.g. ndcg@10), so typos in rules fail early. */
export const isComputableMetric = isKnownMetricName;

type ResolveFile = (input: string, value: string) => string;

/** Computes the offline metrics from the data inputs, resolving every path inside the workspace first. */
export async function computeMetrics(inputs: ValidateModelInputs, file: ResolveFile) {
  const optional = (input: string, value: string | undefined) => (value ? file(input, value) : undefined);
  const result = await evaluate({
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
  });
  return { metrics: result.metrics, notes: result.notes, counts: result.counts };
}
