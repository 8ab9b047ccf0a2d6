import type * as CloudWatchSdk from '@aws-sdk/client-cloudwatch';
import { ConfigError, lazily } from '@recsys-actions/core';
import { z } from 'zod';
import { MetricSourceError, type IntervalWindow, type MetricSource, type SeriesQuery } from './metric-source';
import { parseSourceSchema, type MetricSourceBackend } from './source-backend';
import { placeholderValues, renderTemplate, validateTemplate } from './template';

const EXAMPLE =
  '{ source: cloudwatch, region: eu-west-1, sagemaker: { endpointName: recs-prod, variants: { v1: champion, v2: challenger } } }';

export const cloudWatchSourceConfigSchema = lazily(() =>
  z.strictObject({
    source: z.literal('cloudwatch'),
    /** Defaults to AWS_REGION / AWS_DEFAULT_REGION. */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region, e.g. eu-west-1')
      .optional(),
    /** For the `sagemaker:` templates: the endpoint and each version's production variant. */
    sagemaker: z
      .strictObject({ endpointName: z.string().min(1), variants: z.record(z.string(), z.string().min(1)) })
      .optional(),
    /** For the `lambda:` templates: the function, the alias it is invoked through and each version's number. */
    lambda: z
      .strictObject({
        functionName: z.string().min(1),
        alias: z.string().min(1),
        versions: z.record(
          z.string(),
          z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(String),
        ),
      })
      .optional(),
    /** SDK attempts per read; throttling is retried with backoff within it. */
    maxAttempts: z.number().int().min(1).max(10).default(5),
    /** The canary's start in epoch seconds. */
    start: z.number().nonnegative(),
  }),
);
export type CloudWatchSourceConfig = z.infer<ReturnType<typeof cloudWatchSourceConfigSchema>>;

/** The ready metrics: namespace, metric, default statistic, and how their dimensions follow the version. */
const TEMPLATES: Record<
  string,
  { namespace: string; metric: string; stat: string; service: 'sagemaker' | 'lambda' }
> = {
  'sagemaker:Invocations': {
    namespace: 'AWS/SageMaker',
    metric: 'Invocations',
    stat: 'Sum',
    service: 'sagemaker',
  },
  'sagemaker:Invocation4XXErrors': {
    namespace: 'AWS/SageMaker',
    metric: 'Invocation4XXErrors',
    stat: 'Sum',
    service: 'sagemaker',
  },
  'sagemaker:Invocation5XXErrors': {
    namespace: 'AWS/SageMaker',
    metric: 'Invocation5XXErrors',
    stat: 'Sum',
    service: 'sagemaker',
  },
  'sagemaker:ModelLatency': {
    namespace: 'AWS/SageMaker',
    metric: 'ModelLatency',
    stat: 'Average',
    service: 'sagemaker',
  },
  'lambda:Invocations': { namespace: 'AWS/Lambda', metric: 'Invocations', stat: 'Sum', service: 'lambda' },
  'lambda:Errors': { namespace: 'AWS/Lambda', metric: 'Errors', stat: 'Sum', service: 'lambda' },
  'lambda:Duration': { namespace: 'AWS/Lambda', metric: 'Duration', stat: 'Average', service: 'lambda' },
};

/**
 * A metric reference inside a series expression: a template (`sagemaker:ModelLatency`, optionally `:p95`) or any
 * metric as `Namespace:MetricName{Dimension=value,…}:Stat`, whose values may hold {{version}} and the other
 * placeholders. Everything between references is CloudWatch metric math (`100 * a / b`).
 */
const REFERENCE =
  /\b(?:(sagemaker|lambda):([A-Za-z0-9]+)|([A-Za-z0-9/_.-]+\/[A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+)\{((?:[^{}]|\{\{[^{}]*\}\})*)\})(?::([A-Za-z0-9.]+))?/g;

type MetricDataQuery = CloudWatchSdk.MetricDataQuery;

export function openCloudWatchSource(config: CloudWatchSourceConfig): MetricSource {
  const region = config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  let client: Promise<{ module: typeof CloudWatchSdk; client: CloudWatchSdk.CloudWatchClient }> | undefined;
  const open = () =>
    (client ??= import('@aws-sdk/client-cloudwatch').then((module) => ({
      module,
      client: new module.CloudWatchClient({
        ...(region === undefined ? {} : { region }),
        maxAttempts: config.maxAttempts,
        // throwOnRequestTimeout: else the pinned HTTP handler only warns about a hung request and keeps waiting.
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
      }),
    })));
  return {
    realtime: true,
    validate: (expression, field) => void buildQueries(expression, config, field),
    async read(query, window) {
      const queries = buildQueries(query.expression, config, 'query', query, window);
      const { module, client: cloudWatch } = await open();
      const answer = await cloudWatch
        .send(
          new module.GetMetricDataCommand({
            StartTime: new Date((config.start + window.startSeconds) * 1000),
            EndTime: new Date((config.start + window.endSeconds) * 1000),
            MetricDataQueries: queries,
          }),
        )
        .catch((error: unknown) => {
          throw readFailure(error, region);
        });
      return reduce(answer.MetricDataResults ?? [], query);
    },
  };
}

/**
 * The GetMetricData queries of one series: each metric reference becomes a MetricStat query, and the expression
 * around them (if any) one Expression query, the only one returned. Without a query/window it only validates.
 */
function buildQueries(
  expression: string,
  config: CloudWatchSourceConfig,
  field: string,
  query?: SeriesQuery,
  window?: IntervalWindow,
): MetricDataQuery[] {
  validateTemplate(expression, field);
  const period = window ? periodOf(window) : 60;
  const stats: MetricDataQuery[] = [];
  const math = expression.replace(
    REFERENCE,
    (whole, service, template, namespace, metric, dimensions, stat) => {
      const id = `m${stats.length}`;
      const base = service
        ? templateMetric(`${service}:${template}`, config, field, query?.version)
        : {
            Namespace: namespace,
            MetricName: metric,
            Dimensions: genericDimensions(dimensions, whole, field, query, window),
          };
      const statistic = stat ?? (service ? TEMPLATES[`${service}:${template}`]?.stat : undefined);
      if (!statistic)
        throw new ConfigError(
          field,
          `names ${whole} without a statistic; end it with :Sum, :Average or :p95`,
          'AWS/ApiGateway:5XXError{ApiName=recs}:Sum',
        );
      stats.push({
        Id: id,
        MetricStat: { Metric: base, Period: period, Stat: statistic },
        ReturnData: false,
      });
      return id;
    },
  );
  if (stats.length === 0) {
    throw new ConfigError(
      field,
      `names no CloudWatch metric; use a template such as sagemaker:Invocations or Namespace:Metric{Dimension=value}:Stat`,
      'sagemaker:Invocation5XXErrors',
    );
  }
  if (math.trim() === stats[0]?.Id) return [{ ...stats[0], ReturnData: true }];
  return [...stats, { Id: 'result', Expression: math.trim(), ReturnData: true }];
}

function templateMetric(
  name: string,
  config: CloudWatchSourceConfig,
  field: string,
  version?: string,
): CloudWatchSdk.Metric {
  const template = TEMPLATES[name];
  if (!template) {
    throw new ConfigError(
      field,
      `uses the unknown template ${name}; the templates are ${Object.keys(TEMPLATES).join(', ')}`,
      'sagemaker:Invocations',
    );
  }
  const dimensions = (pairs: Record<string, string>) =>
    Object.entries(pairs).map(([Name, Value]) => ({ Name, Value }));
  if (template.service === 'sagemaker') {
    if (!config.sagemaker)
      throw new ConfigError(
        field,
        `uses ${name}, so the source config needs sagemaker: { endpointName, variants }`,
        EXAMPLE,
      );
    const variant =
      version === undefined ? '' : mapped(config.sagemaker.variants, version, 'sagemaker.variants');
    return {
      Namespace: template.namespace,
      MetricName: template.metric,
      Dimensions: dimensions({ EndpointName: config.sagemaker.endpointName, VariantName: variant }),
    };
  }
  if (!config.lambda)
    throw new ConfigError(
      field,
      `uses ${name}, so the source config needs lambda: { functionName, alias, versions }`,
      EXAMPLE,
    );
  const executed = version === undefined ? '' : mapped(config.lambda.versions, version, 'lambda.versions');
  const { functionName, alias } = config.lambda;
  return {
    Namespace: template.namespace,
    MetricName: template.metric,
    Dimensions: dimensions({
      FunctionName: functionName,
      Resource: `${functionName}:${alias}`,
      ExecutedVersion: executed,
    }),
  };
}

function mapped(map: Record<string, string>, version: string, field: string): string {
  const name = map[version];
  if (name === undefined)
    throw new ConfigError(
      'config',
      `for source 'cloudwatch' has no ${field} entry for version '${version}'`,
      EXAMPLE,
    );
  return name;
}

function genericDimensions(
  text: string,
  whole: string,
  field: string,
  query?: SeriesQuery,
  window?: IntervalWindow,
) {
  return text
    .split(',')
    .filter((pair) => pair.trim() !== '')
    .map((pair) => {
      const [name, value] = pair.split('=').map((part) => part.trim());
      if (!name || value === undefined)
        throw new ConfigError(
          field,
          `has the dimension '${pair}' in ${whole}; write Name=value`,
          'AWS/ApiGateway:5XXError{ApiName=recs}:Sum',
        );
      return {
        Name: name,
        Value: query && window ? renderTemplate(value, placeholderValues(query, window), field) : value,
      };
    });
}

/** A period CloudWatch accepts covering the window: 1, 5, 10, 30 or a multiple of 60 seconds. */
function periodOf(window: IntervalWindow): number {
  const seconds = Math.max(1, Math.round(window.endSeconds - window.startSeconds));
  return seconds >= 60
    ? Math.ceil(seconds / 60) * 60
    : ([1, 5, 10, 30, 60].find((allowed) => allowed >= seconds) ?? 60);
}

/** No datapoints is no data; a result CloudWatch marks as failed is an error; otherwise the window's value. */
function reduce(results: CloudWatchSdk.MetricDataResult[], query: SeriesQuery): number | undefined {
  const [result] = results;
  if (!result || (result.StatusCode !== 'Complete' && result.StatusCode !== 'PartialData')) {
    throw new MetricSourceError(
      'provider-error',
      `CloudWatch could not compute ${query.expression}: ${result?.StatusCode ?? 'no result'} ${result?.Messages?.map((m) => m.Value).join('; ') ?? ''}`.trim(),
    );
  }
  const values = (result.Values ?? []).filter((value) => Number.isFinite(value));
  if (values.length === 0) return undefined;
  // Datapoints come newest first.
  return query.aggregation === 'sum' ? values.reduce((sum, value) => sum + value, 0) : values[0];
}

function readFailure(error: unknown, region: string | undefined): MetricSourceError {
  const { name, message } = error as { name?: string; message?: string };
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return new MetricSourceError(
      'provider-error',
      `AWS denied cloudwatch:GetMetricData in ${region}: the role this job assumed needs "cloudwatch:GetMetricData".`,
      { httpStatus: status, errorType: name },
    );
  }
  if (
    /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)\b/.test(String(message)) ||
    name === 'TimeoutError'
  ) {
    return new MetricSourceError('unreachable', `Cannot reach CloudWatch in region ${region}: ${message}`);
  }
  return new MetricSourceError('provider-error', `CloudWatch GetMetricData failed: ${name}: ${message}`, {
    ...(status === undefined ? {} : { httpStatus: status }),
    ...(name === undefined ? {} : { errorType: name }),
  });
}

/** CloudWatch GetMetricData, as registered under `cloudwatch`. */
export const cloudWatchMetricSource: MetricSourceBackend<CloudWatchSourceConfig> = {
  type: 'cloudwatch',
  example: EXAMPLE,
  configure: (raw, { name, startSeconds }) =>
    parseSourceSchema(cloudWatchSourceConfigSchema(), { ...raw, start: startSeconds }, name, EXAMPLE),
  credentials: () => [],
  open: async (config) => openCloudWatchSource(config),
};
