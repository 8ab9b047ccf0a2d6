import { ConfigError } from '@recsys-actions/core';
import { fileMetricSource } from './file/file-source';
import type { MetricSource } from './metric-source';
import type { MetricSourceBackend, MetricSourceConfig, SourceSetup } from './source-backend';
import { prometheusMetricSource } from './prometheus/prometheus-source';
import { cloudWatchMetricSource } from './cloudwatch';
import { datadogMetricSource } from './datadog';

const backends = new Map<string, MetricSourceBackend>();

/** Makes a metric source available under `backend.type`; the built-in ones are registered on import. */
export function registerMetricSource<Config extends MetricSourceConfig>(
  backend: MetricSourceBackend<Config>,
): void {
  if (backends.has(backend.type)) throw new Error(`Metric source '${backend.type}' is already registered`);
  backends.set(backend.type, backend as unknown as MetricSourceBackend);
}

registerMetricSource(fileMetricSource);
registerMetricSource(prometheusMetricSource);
registerMetricSource(cloudWatchMetricSource);
registerMetricSource(datadogMetricSource);

/** The registered source types, the built-in `file` first. */
export function metricSourceTypes(): string[] {
  return [...backends.keys()];
}

function backendOf(source: unknown): MetricSourceBackend {
  const backend = typeof source === 'string' ? backends.get(source) : undefined;
  if (backend) return backend;
  throw new ConfigError(
    'config',
    `needs 'source' set to one of ${metricSourceTypes().join(', ')}${source === undefined ? '' : `, got '${String(source)}'`}`,
    prometheusMetricSource.example,
  );
}

/**
 * Checks a source config: `raw.source` picks the backend, which validates the rest and folds in the setup.
 * Errors name `setup.name`, the source and the offending key, e.g. "for source 'prometheus' is invalid at
 * metrics.timeoutSeconds: Too big".
 */
export function configureMetricSource(raw: Record<string, unknown>, setup: SourceSetup): MetricSourceConfig {
  return backendOf(raw.source).configure(raw, setup);
}

/** The secrets a config holds, for the action to mask. */
export function metricSourceCredentials(config: MetricSourceConfig): string[] {
  return backendOf(config.source).credentials(config);
}

export function openMetricSource(config: MetricSourceConfig): Promise<MetricSource> {
  return backendOf(config.source).open(config);
}
