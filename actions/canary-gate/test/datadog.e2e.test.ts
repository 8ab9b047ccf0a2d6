import { expectCleanFailure, runAction, workspaceWith } from '@recsys-actions/testkit';
import { DatadogFake } from '@recsys-actions/testkit/datadog/fake';

// The built canary-gate reads Datadog's metrics query API from the testkit Datadog fake, which checks each
// request against Datadog's published OpenAPI description. Points come every second for two versions of a
// service: the canary fails 20 % of its requests, the baseline 2 %. Keys come from the environment, as a workflow
// passes secrets, and must never be printed.

const API_KEY = 'dd-api-key-e2e-0123456789';
const APP_KEY = 'dd-app-key-e2e-9876543210';
let fake: DatadogFake;
beforeEach(async () => {
  fake = await DatadogFake.start({ apiKey: API_KEY, appKey: APP_KEY });
});
afterEach(() => fake.close());

const query = (metric: string, version: string) =>
  `sum:trace.http.request.${metric}{service:recs,version:${version}}.as_count()`;
const CHECKS = `
- name: error-rate
  type: ratio
  bad: "sum:trace.http.request.errors{service:recs,version:{{version}}}.as_count()"
  total: "sum:trace.http.request.hits{service:recs,version:{{version}}}.as_count()"
`;

function seed(version: string, errors: number, hits: number): void {
  const now = Math.floor(Date.now() / 1000);
  const seconds = Array.from({ length: 90 }, (_, index) => now - 5 + index);
  fake.put(
    query('errors', version),
    seconds.map((t) => [t, errors]),
  );
  fake.put(
    query('hits', version),
    seconds.map((t) => [t, hits]),
  );
}

describe('canary-gate over Datadog (built dist, Datadog fake)', () => {
  it('rolls back a canary with ten times the baseline error rate, keys masked', async () => {
    seed('v1', 2, 100);
    seed('v2', 20, 100);
    fake.inject({ kind: 'rate-limit', resetSeconds: 0 }, 1);
    const run = await runAction({
      action: 'canary-gate',
      workspace: workspaceWith({}),
      env: { DD_API_KEY: API_KEY, DD_APP_KEY: APP_KEY },
      inputs: {
        source: 'datadog',
        'source-config': `{ address: "${fake.url}", maxRetryWaitSeconds: 0.2 }`,
        checks: CHECKS,
        interval: '2s',
        settle: '200ms',
        'max-duration': '30s',
        'canary-version': 'v2',
        'baseline-version': 'v1',
      },
    });
    expect(expectCleanFailure(run)).toMatch(
      /^The canary gate decided rollback for v2: error-rate is worse than baseline/,
    );
    expect(run.outputs.verdict).toBe('rollback');
    expect(fake.requests.filter((request) => request.violations.length > 0)).toEqual([]);
    expect(fake.requests[0]?.status).toBe(429);
    expect(`${run.stdout}${run.stderr}${run.summary}`).not.toContain(API_KEY);
    expect(`${run.stdout}${run.stderr}${run.summary}`).not.toContain(APP_KEY);
  });
});
