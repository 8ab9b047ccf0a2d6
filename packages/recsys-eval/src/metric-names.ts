/** Metrics computed for every cut-off k: `ndcg@10`, `coverage@20`, ... */
export const AT_K_METRICS = [
  'precision',
  'recall',
  'map',
  'map_all',
  'r_precision',
  'ndcg',
  'mrr',
  'hit_rate',
  'coverage',
  'distributional_coverage',
  'novelty',
  'diversity',
  'serendipity',
] as const;
export type AtKMetric = (typeof AT_K_METRICS)[number];

/** Metrics without a cut-off. */
export const PLAIN_METRICS = ['rmse', 'mae', 'rsquared', 'exp_var', 'auc', 'logloss'] as const;
export type PlainMetric = (typeof PLAIN_METRICS)[number];

/** Every metric name pattern this package computes, as shown to people (`<metric>@<k>` or the plain name). */
export const METRIC_NAMES: readonly string[] = [
  ...AT_K_METRICS.map((name) => `${name}@<k>`),
  ...PLAIN_METRICS,
];

export type ParsedMetricName = { metric: AtKMetric; k: number } | { metric: PlainMetric };

const AT_K = /^([a-z_]+)@([1-9]\d*)$/;

/** Splits `ndcg@10` into its metric and cut-off; undefined for names this package cannot compute. */
export function parseMetricName(name: string): ParsedMetricName | undefined {
  if ((PLAIN_METRICS as readonly string[]).includes(name)) return { metric: name as PlainMetric };
  const match = AT_K.exec(name);
  if (!match || !(AT_K_METRICS as readonly string[]).includes(match[1] as string)) return undefined;
  const k = Number(match[2]);
  return Number.isSafeInteger(k) ? { metric: match[1] as AtKMetric, k } : undefined;
}

export function isKnownMetricName(name: string): boolean {
  return parseMetricName(name) !== undefined;
}

export function metricName(metric: AtKMetric, k: number): string {
  return `${metric}@${k}`;
}
