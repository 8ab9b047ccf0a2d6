import type { MetricSource } from '../metric-source';
import { MetricSourceError } from '../metric-source';
import { placeholderValues, renderTemplate, validateTemplate } from '../template';
import { parseSourceSchema, type MetricSourceBackend } from '../source-backend';
import { prometheusSourceConfigSchema, type PrometheusSourceConfig } from './config';
import { queryInstant, type QueryData } from './query-api';

/**
 * Reads each window by evaluating the check's PromQL at the window's end (start + endSeconds), so
 * `[{{interval}}]` ranges cover exactly that window. The query does its own aggregation (increase, rate,
 * histogram_quantile); `aggregation` is not used.
 */
export function openPrometheusSource(config: PrometheusSourceConfig): MetricSource {
  return {
    realtime: true,
    validate: validateTemplate,
    async read(query, window) {
      const promql = renderTemplate(query.expression, placeholderValues(query, window));
      const data = await queryInstant(config, promql, config.start + window.endSeconds);
      return singleValue(data, promql);
    },
  };
}

/** Any Prometheus query API, as registered under `prometheus`; windows start at the canary's start. */
export const prometheusMetricSource: MetricSourceBackend<PrometheusSourceConfig> = {
  type: 'prometheus',
  example: '{ source: prometheus, address: http://prometheus:9090 }',
  configure(raw, { name, startSeconds, credentials }) {
    const { bearerToken, basicAuth } = credentials;
    const config = {
      ...raw,
      start: startSeconds,
      ...(bearerToken && { bearerToken }),
      ...(basicAuth && { basicAuth }),
    };
    return parseSourceSchema(prometheusSourceConfigSchema(), config, name, prometheusMetricSource.example);
  },
  credentials: (config) =>
    [config.bearerToken, config.basicAuth?.password].filter((secret) => secret !== undefined),
  open: async (config) => openPrometheusSource(config),
};

/**
 * One number from an instant query. An empty vector means no data. NaN (0/0 ratios, histogram_quantile
 * over no observations) and ±Inf are passed on: the series answered, with a value the caller must judge (the
 * canary gate counts NaN as an erroring interval, and +Inf breaks a max). A scalar is taken as is. Several series, range vectors and strings cannot be
 * judged and fail with advice on how to rewrite the query.
 */
export function singleValue(data: QueryData, promql: string): number | undefined {
  switch (data.resultType) {
    case 'scalar':
      return sampleNumber(data.result[1], promql);
    case 'vector': {
      const [first, ...others] = data.result;
      if (!first) return undefined;
      if (others.length > 0)
        throw new MetricSourceError(
          'not-a-single-value',
          `Prometheus query ${promql} returned ${data.result.length} series (the first is ${formatLabels(first.metric)}); a check needs one number, so aggregate the query, e.g. sum(...) or sum by () (...)`,
        );
      return sampleNumber(first.value[1], promql);
    }
    case 'matrix':
      throw new MetricSourceError(
        'not-a-single-value',
        `Prometheus query ${promql} returned a range vector; wrap it in a function such as sum(increase(...[{{interval}}]))`,
      );
    case 'string':
      throw new MetricSourceError(
        'not-a-single-value',
        `Prometheus query ${promql} returned a string; a check needs a number`,
      );
  }
}

const SPECIAL_VALUES: Record<string, number> = {
  '+Inf': Infinity,
  '-Inf': -Infinity,
  Inf: Infinity,
  NaN: Number.NaN,
};

function sampleNumber(text: string, promql: string): number {
  const value = SPECIAL_VALUES[text] ?? Number(text);
  if ((Number.isNaN(value) && text !== 'NaN') || text.trim() === '')
    throw new MetricSourceError(
      'bad-response',
      `Prometheus query ${promql} returned the sample value '${text}', which is not a number`,
    );
  return value;
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `{${pairs.join(',')}}`;
}
