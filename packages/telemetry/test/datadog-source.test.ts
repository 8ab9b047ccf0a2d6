import { DatadogFake } from '@recsys-actions/testkit/datadog/fake';
import {
  configureMetricSource,
  metricSourceCredentials,
  openMetricSource,
  type SeriesQuery,
} from '../src/index';

let fake: DatadogFake;
const START = 1_800_000_000;
const window = { index: 0, startSeconds: 0, endSeconds: 60 };
const ERRORS = 'sum:trace.http.request.errors{service:recs,version:{{version}}}.as_count()';

beforeEach(async () => {
  fake = await DatadogFake.start();
});
afterEach(() => fake.close());

const config = (extra: Record<string, unknown> = {}) =>
  configureMetricSource(
    { source: 'datadog', address: fake.url, ...fake.keys, maxRetryWaitSeconds: 0.05, ...extra },
    { name: 'source-config', workspace: '/tmp', startSeconds: START, credentials: {} },
  );
const open = (extra: Record<string, unknown> = {}) => openMetricSource(config(extra));
const series = (
  role: 'canary' | 'baseline',
  version: string,
  aggregation: 'sum' | 'last' = 'sum',
): SeriesQuery => ({
  expression: ERRORS,
  aggregation,
  role,
  version,
  environment: 'production',
});
const rendered = (version: string) => ERRORS.replace('{{version}}', version);

describe('datadog source', () => {
  it('reads canary and baseline over the same window, summing counters and keeping the last gauge', async () => {
    fake.put(rendered('v2'), [
      [START + 10, 4],
      [START + 20, null],
      [START + 30, 2],
      [START + 90, 100],
    ]);
    fake.put(rendered('v1'), [[START + 10, 1]]);
    const source = await open();
    expect(await source.read(series('canary', 'v2'), window)).toBe(6);
    expect(await source.read(series('canary', 'v2', 'last'), window)).toBe(2);
    expect(await source.read(series('baseline', 'v1'), window)).toBe(1);
    expect(new Set(fake.requests.map((request) => `${request.query.from}-${request.query.to}`))).toEqual(
      new Set([`${START}-${START + 60}`]),
    );
    expect(fake.requests.every((request) => request.violations.length === 0)).toBe(true);
  });

  it('tells no data from an error', async () => {
    const source = await open();
    expect(await source.read(series('canary', 'v2'), window)).toBeUndefined();
    fake.inject({ kind: 'query-error', message: 'Error parsing query' });
    await expect(source.read(series('canary', 'v2'), window)).rejects.toMatchObject({
      failure: 'provider-error',
      message: expect.stringContaining('Error parsing query'),
    });
  });

  it('waits out 429s as X-RateLimit-Reset asks, within its retry budget', async () => {
    fake.put(rendered('v2'), [[START + 10, 3]]);
    const source = await open({ maxRetries: 2 });
    fake.inject({ kind: 'rate-limit', resetSeconds: 1 }, 2);
    expect(await source.read(series('canary', 'v2'), window)).toBe(3);
    fake.inject({ kind: 'rate-limit', resetSeconds: 1 }, 3);
    await expect(source.read(series('canary', 'v2'), window)).rejects.toThrow(/HTTP 429 .* after 2 retries/);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 429, 200, 429, 429, 429]);
  });

  it('masks both keys and never prints them, also when Datadog refuses them', async () => {
    const wrong = { apiKey: 'dd-wrong-api-key-000', appKey: 'dd-wrong-app-key-000' };
    expect(metricSourceCredentials(config(wrong))).toEqual([wrong.apiKey, wrong.appKey]);
    const error = await (
      await open(wrong)
    )
      .read(series('canary', 'v2'), window)
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/HTTP 403 .*check apiKey and appKey/);
    expect((error as Error).message).not.toContain('dd-wrong');
  });

  it('takes the keys from DD_API_KEY / DD_APP_KEY and refuses an unknown site', () => {
    process.env.DD_API_KEY = 'from-env-api';
    process.env.DD_APP_KEY = 'from-env-app';
    try {
      const fromEnv = configureMetricSource(
        { source: 'datadog', site: 'datadoghq.eu' },
        { name: 'source-config', workspace: '/tmp', startSeconds: START, credentials: {} },
      );
      expect(metricSourceCredentials(fromEnv)).toEqual(['from-env-api', 'from-env-app']);
    } finally {
      delete process.env.DD_API_KEY;
      delete process.env.DD_APP_KEY;
    }
    expect(() => config({ site: 'datadoghq.mars' })).toThrow(
      /for source 'datadog' is invalid at source-config.site: Invalid option/,
    );
  });

  it('says when Datadog cannot be reached', async () => {
    const source = await open({ address: 'http://127.0.0.1:9' });
    await expect(source.read(series('canary', 'v2'), window)).rejects.toMatchObject({
      failure: 'unreachable',
    });
  });
});
