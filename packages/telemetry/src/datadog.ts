import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import { MetricSourceError, type IntervalWindow, type MetricSource, type SeriesQuery } from './metric-source';
import { parseSourceSchema, type MetricSourceBackend } from './source-backend';
import { placeholderValues, renderTemplate, validateTemplate } from './template';

const EXAMPLE =
  '{ source: datadog, site: datadoghq.eu, apiKey: ${{ secrets.DD_API_KEY }}, appKey: ${{ secrets.DD_APP_KEY }} }';

/** The regional sites Datadog's OpenAPI description lists. */
const SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'uk1.datadoghq.com',
  'datadoghq.eu',
  'ddog-gov.com',
  'us2.ddog-gov.com',
] as const;

export const datadogSourceConfigSchema = lazily(() =>
  z.strictObject({
    source: z.literal('datadog'),
    site: z.enum(SITES).default('datadoghq.com'),
    /** Overrides https://api.<site>, e.g. for a proxy; no credentials in it. */
    address: z.url({ protocol: /^https?$/ }).optional(),
    /** Default to DD_API_KEY / DD_APP_KEY from the environment; both are masked. */
    apiKey: z.string().min(1),
    appKey: z.string().min(1),
    timeoutSeconds: z.number().positive().max(120).default(30),
    /** Answers 429 or 5xx are retried this many times, waiting what X-RateLimit-Reset says (capped below). */
    maxRetries: z.number().int().min(0).max(10).default(4),
    maxRetryWaitSeconds: z.number().positive().max(300).default(30),
    /** The canary's start in epoch seconds. */
    start: z.number().nonnegative(),
  }),
);
export type DatadogSourceConfig = z.infer<ReturnType<typeof datadogSourceConfigSchema>>;

interface QueryResponse {
  status?: string;
  error?: string;
  series?: { pointlist?: [number, number | null][]; expression?: string }[];
}

/**
 * Datadog's v1 metrics query API (GET /api/v1/query) over plain fetch: @datadog/datadog-api-client would add
 * megabytes to the bundle for one GET. The window [start + startSeconds, start + endSeconds] is the same for the
 * canary's and the baseline's query of an interval. The keys travel only in headers and never appear in errors.
 */
export function openDatadogSource(config: DatadogSourceConfig): MetricSource {
  const base = config.address ?? `https://api.${config.site}`;
  return {
    realtime: true,
    validate: validateTemplate,
    async read(query: SeriesQuery, window: IntervalWindow) {
      const rendered = renderTemplate(query.expression, placeholderValues(query, window));
      const from = Math.floor(config.start + window.startSeconds);
      const to = Math.ceil(config.start + window.endSeconds);
      const url = `${base.replace(/\/$/, '')}/api/v1/query?${new URLSearchParams({ from: String(from), to: String(to), query: rendered })}`;
      const answer = await fetchWithRetries(url, config, rendered);
      return valueOf(answer, rendered, query);
    },
  };
}

async function fetchWithRetries(
  url: string,
  config: DatadogSourceConfig,
  query: string,
): Promise<QueryResponse> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(url, {
      headers: {
        'DD-API-KEY': config.apiKey,
        'DD-APPLICATION-KEY': config.appKey,
        accept: 'application/json',
      },
      signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
    }).catch((error: unknown) => {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new MetricSourceError(
        timedOut ? 'timeout' : 'unreachable',
        `Datadog (${new URL(url).host}) ${timedOut ? `did not answer within ${config.timeoutSeconds} s` : `cannot be reached: ${causeOf(error)}`}`,
      );
    });
    const retryable = response.status === 429 || response.status >= 500;
    if (retryable && attempt < config.maxRetries) {
      await response.body?.cancel();
      await sleep(waitSeconds(response, attempt, config.maxRetryWaitSeconds));
      continue;
    }
    const text = await response.text();
    if (!response.ok) throw httpFailure(response.status, text, config, query);
    try {
      return JSON.parse(text) as QueryResponse;
    } catch {
      throw new MetricSourceError(
        'bad-response',
        `Datadog answered ${query} with something that is not JSON`,
      );
    }
  }
}

/** What Datadog's rate-limit headers ask for (X-RateLimit-Reset, else Retry-After), else exponential backoff. */
function waitSeconds(response: Response, attempt: number, cap: number): number {
  const asked = Number(
    response.headers.get('x-ratelimit-reset') ?? response.headers.get('retry-after') ?? Number.NaN,
  );
  const seconds = Number.isFinite(asked) && asked >= 0 ? asked : 2 ** attempt;
  return Math.min(seconds, cap);
}

function httpFailure(
  status: number,
  text: string,
  config: DatadogSourceConfig,
  query: string,
): MetricSourceError {
  let errors = '';
  try {
    errors = ((JSON.parse(text) as { errors?: string[] }).errors ?? []).join('; ');
  } catch {
    errors = text.slice(0, 200);
  }
  // An error page may echo a header back; the keys never reach a log.
  const safe = [config.apiKey, config.appKey].reduce(
    (message, secret) => message.replaceAll(secret, '***'),
    errors,
  );
  const advice =
    status === 403
      ? ': check apiKey and appKey (the application key needs the timeseries_query permission) and the site'
      : status === 429
        ? ` after ${config.maxRetries} retries; raise interval or maxRetries, or ask Datadog for a higher rate limit`
        : '';
  return new MetricSourceError(
    'provider-error',
    `Datadog answered HTTP ${status} for ${query} (${safe})${advice}`,
    { httpStatus: status },
  );
}

/**
 * One number for the window: no series (or only null points) is no data; a failed query or several series are
 * errors; otherwise the points are summed (counters) or the last one is taken (gauges).
 */
function valueOf(answer: QueryResponse, query: string, series: SeriesQuery): number | undefined {
  if (answer.status !== 'ok')
    throw new MetricSourceError(
      'provider-error',
      `Datadog could not run ${query}: ${answer.error ?? answer.status ?? 'no status'}`,
    );
  const all = answer.series ?? [];
  if (all.length > 1) {
    throw new MetricSourceError(
      'not-a-single-value',
      `Datadog query ${query} returned ${all.length} series; a check needs one, so aggregate it, e.g. sum:metric{…} without a by {…}`,
    );
  }
  const values = (all[0]?.pointlist ?? [])
    .map(([, value]) => value)
    .filter((value): value is number => value !== null && Number.isFinite(value));
  if (values.length === 0) return undefined;
  return series.aggregation === 'sum' ? values.reduce((sum, value) => sum + value, 0) : values.at(-1);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function sleep(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/** Datadog's metrics query API, as registered under `datadog`. */
export const datadogMetricSource: MetricSourceBackend<DatadogSourceConfig> = {
  type: 'datadog',
  example: EXAMPLE,
  configure(raw, { name, startSeconds }) {
    const keys = { apiKey: process.env.DD_API_KEY, appKey: process.env.DD_APP_KEY };
    const defaults = Object.fromEntries(Object.entries(keys).filter(([, value]) => value));
    return parseSourceSchema(
      datadogSourceConfigSchema(),
      { ...defaults, ...raw, start: startSeconds },
      name,
      EXAMPLE,
    );
  },
  credentials: (config) => [config.apiKey, config.appKey],
  open: async (config) => openDatadogSource(config),
};
