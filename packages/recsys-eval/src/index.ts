export { evaluate } from './evaluate';
export { EVALUATION_WORKER_TASKS } from './worker-tasks';
export type { Evaluation, EvaluationCounts, UserMetric, UserTables } from './evaluate';
export { DEFAULT_COLUMNS, NDCG_GAINS } from './options';
export type { ColumnNames, EvaluateOptions, EvaluationFile, NdcgGain } from './options';
export {
  AT_K_METRICS,
  isKnownMetricName,
  METRIC_NAMES,
  metricName,
  parseMetricName,
  PLAIN_METRICS,
} from './metric-names';
export type { AtKMetric, ParsedMetricName, PlainMetric } from './metric-names';
export { evaluatePartial, PARTIAL_USER_TABLE_ROWS } from './partial';
export { mergePartials } from './merge';
export type { PartialFile } from './merge';
export { parsePartial, PARTIAL_FORMAT, PARTIAL_VERSION } from './partial-format';
export type { EvaluationPartial } from './partial-format';
export { rankBiasedOverlap } from './agreement';
export type { AgreementAtK } from './agreement';
export type { PairedComparison, PairedInterval, PairedMetric, PairedOptions } from './paired';
export { RANKING_METRICS } from './ranking-metrics';
export {
  identicalTopK,
  jaccardAtK,
  rankBiasedOverlap as rankBiasedOverlapOfLabels,
} from './shadow-agreement';
export {
  EXAMPLE_LINE as SHADOW_LOG_EXAMPLE_LINE,
  listsPerUser,
  pairShadowAnswers,
  readShadowLog,
  servingStats,
  shadowAgreement,
} from './shadow-log';
export type {
  AgreementAtK as ShadowAgreementAtK,
  PairedRequest,
  ServingStats,
  ShadowAnswer,
} from './shadow-log';
