export * from './metric-source';
export * from './template';
export * from './registry';
export * from './source-backend';
export {
  fileMetricSource,
  fileSourceConfigSchema,
  openFileSource,
  type FileSourceConfig,
} from './file/file-source';
export { loadRecording, type Recording, type SampleTrack } from './file/recording';
export { prometheusSourceConfigSchema, type PrometheusSourceConfig } from './prometheus/config';
export { openPrometheusSource, prometheusMetricSource, singleValue } from './prometheus/prometheus-source';
export { queryInstant, type QueryData } from './prometheus/query-api';
export {
  cloudWatchMetricSource,
  cloudWatchSourceConfigSchema,
  openCloudWatchSource,
  type CloudWatchSourceConfig,
} from './cloudwatch';
export {
  datadogMetricSource,
  datadogSourceConfigSchema,
  openDatadogSource,
  type DatadogSourceConfig,
} from './datadog';
