import {
  configureMetricSource,
  metricSourceCredentials,
  metricSourceTypes,
  openMetricSource,
  registerMetricSource,
  type MetricSourceConfig,
} from '@recsys-actions/telemetry';
import { runGate } from '../src/index';
import { ERROR_RATE, fakeClock } from './gate-helpers';

/**
 * A metric source registered the way any new backend is: runGate must drive it through the MetricSource
 * interface alone. It serves constant counts per role, so the verdict follows from its config.
 */
interface ConstantConfig extends MetricSourceConfig {
  source: 'constant';
  canaryErrors: number;
  apiKey: string;
}

registerMetricSource<ConstantConfig>({
  type: 'constant',
  example: '{ source: constant, canaryErrors: 10 }',
  configure: (raw, setup) => ({
    source: 'constant',
    canaryErrors: Number(raw.canaryErrors ?? 10),
    apiKey: setup.credentials.bearerToken ?? '',
  }),
  credentials: (config) => [config.apiKey],
  open: async (config) => ({
    realtime: false,
    validate: () => {},
    read: async (query) => {
      if (query.expression === 'requests_total') return 1000;
      return query.role === 'canary' ? config.canaryErrors : 10;
    },
  }),
});

async function gateOver(canaryErrors: number) {
  const config = configureMetricSource(
    { source: 'constant', canaryErrors },
    { name: 'metrics', workspace: process.cwd(), startSeconds: 0, credentials: { bearerToken: 'key-1' } },
  );
  expect(metricSourceCredentials(config)).toEqual(['key-1']);
  return runGate({
    checks: ERROR_RATE,
    options: {},
    source: await openMetricSource(config),
    versions: { canary: 'v2', baseline: 'v1' },
    environment: 'prod',
    intervalSeconds: 60,
    maxIntervals: 30,
    clock: fakeClock(0),
  });
}

describe('runGate over a registered fake metric source', () => {
  it('is listed beside the built-in sources', () => {
    expect(metricSourceTypes()).toEqual(['file', 'prometheus', 'cloudwatch', 'datadog', 'constant']);
  });

  it('rolls back a canary with twice the error rate', async () => {
    const { state } = await gateOver(20);
    expect(state).toMatchObject({ status: 'done', verdict: 'rollback' });
  });

  it('reads the same counts on both sides as no regression', async () => {
    const { state, observations } = await gateOver(10);
    expect(state.verdict).not.toBe('rollback');
    expect(observations[0]?.checks['error-rate']).toEqual({
      canary: { kind: 'ratio', events: 10, total: 1000 },
      baseline: { kind: 'ratio', events: 10, total: 1000 },
    });
  });
});
