import { lazily, oneLine } from '@recsys-actions/core';
import { z } from 'zod';
import { MetricSourceError } from '../metric-source';
import type { PrometheusSourceConfig } from './config';

const sampleValue = lazily(() => z.tuple([z.number(), z.string()]));
const labels = lazily(() => z.record(z.string(), z.string()));

/** The `data` of a successful instant query, as documented for /api/v1/query. */
const queryDataSchema = lazily(() =>
  z.discriminatedUnion('resultType', [
    z.object({
      resultType: z.literal('vector'),
      result: z.array(z.object({ metric: labels(), value: sampleValue() })),
    }),
    z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: labels() })) }),
    z.object({ resultType: z.literal('scalar'), result: sampleValue() }),
    z.object({ resultType: z.literal('string'), result: sampleValue() }),
  ]),
);
export type QueryData = z.infer<ReturnType<typeof queryDataSchema>>;

const envelopeSchema = lazily(() =>
  z.union([
    z.object({ status: z.literal('success'), data: queryDataSchema() }),
    z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
  ]),
);

const BODY_EXCERPT_CHARS = 200;

/**
 * Evaluates PromQL at one instant through the documented HTTP API (POST, form-encoded), which Thanos, Mimir
 * and VictoriaMetrics serve too. Every failure becomes a {@link MetricSourceError} whose message has had the
 * configured credentials removed, since proxies sometimes echo request headers in their error pages.
 */
export async function queryInstant(
  config: PrometheusSourceConfig,
  query: string,
  atSeconds: number,
): Promise<QueryData> {
  const context = `Prometheus query ${query} at ${new Date(atSeconds * 1000).toISOString()}`;
  const fail = (failure: ConstructorParameters<typeof MetricSourceError>[0], problem: string, details = {}) =>
    new MetricSourceError(failure, redact(oneLine(`${context}: ${problem}`), secretsOf(config)), details);

  let status: number;
  let body: string;
  try {
    const response = await fetch(queryUrl(config.address), {
      method: 'POST',
      headers: requestHeaders(config),
      body: new URLSearchParams({ query, time: String(atSeconds) }),
      signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
    });
    status = response.status;
    body = await response.text();
  } catch (error) {
    if (errorField(error, 'name') === 'TimeoutError')
      throw fail('timeout', `no answer within ${config.timeoutSeconds}s from ${config.address}`);
    throw fail('unreachable', `cannot reach ${config.address} (${describeNetworkError(error)})`);
  }

  const envelope = envelopeSchema().safeParse(parseJson(body));
  if (envelope.success && envelope.data.status === 'error') {
    const { errorType = 'error', error = 'no message' } = envelope.data;
    throw fail('provider-error', `${errorType}: ${error}`, { httpStatus: status, errorType });
  }
  if (status < 200 || status > 299)
    throw fail('provider-error', `HTTP ${status}: ${excerpt(body)}`, { httpStatus: status });
  if (!envelope.success || envelope.data.status !== 'success')
    throw fail('bad-response', `the answer is not a Prometheus query response: ${excerpt(body)}`, {
      httpStatus: status,
    });
  return envelope.data.data;
}

function queryUrl(address: string): string {
  return `${address.replace(/\/+$/, '')}/api/v1/query`;
}

function requestHeaders(config: PrometheusSourceConfig): Record<string, string> {
  const headers: Record<string, string> = { ...config.headers, Accept: 'application/json' };
  if (config.bearerToken) headers.Authorization = `Bearer ${config.bearerToken}`;
  if (config.basicAuth) {
    const { username, password } = config.basicAuth;
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return headers;
}

function secretsOf(config: PrometheusSourceConfig): string[] {
  const secrets = [config.bearerToken, config.basicAuth?.password];
  if (config.basicAuth) {
    const { username, password } = config.basicAuth;
    secrets.push(Buffer.from(`${username}:${password}`).toString('base64'));
  }
  return secrets.filter((secret): secret is string => Boolean(secret));
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join('***'), text);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function excerpt(body: string): string {
  const line = oneLine(body);
  if (line === '') return '(empty body)';
  return line.length > BODY_EXCERPT_CHARS ? `${line.slice(0, BODY_EXCERPT_CHARS)}…` : line;
}

/** fetch reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND...) in its cause. */
function describeNetworkError(error: unknown): string {
  const cause = errorField(error, 'cause');
  return String(
    errorField(cause, 'code') ?? errorField(cause, 'message') ?? errorField(error, 'message') ?? error,
  );
}

// Duck-typed because fetch's errors may come from another realm (jest's VM), where instanceof Error fails.
function errorField(error: unknown, field: 'name' | 'message' | 'code' | 'cause'): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[field] : undefined;
}
