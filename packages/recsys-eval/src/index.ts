export { evaluate } from './evaluate';
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
export { identicalTopK, jaccardAtK, rankBiasedOverlap } from './shadow-agreement';
export {
  EXAMPLE_LINE as SHADOW_LOG_EXAMPLE_LINE,
  listsPerUser,
  pairShadowAnswers,
  readShadowLog,
  servingStats,
  shadowAgreement,
} from './shadow-log';
export type { AgreementAtK, PairedRequest, ServingStats, ShadowAnswer } from './shadow-log';
