import { expectCleanFailure, runAction, workspaceWith } from '@recsys-actions/testkit';
import { AwsFake } from '@recsys-actions/testkit/aws/fake';

// The built canary-gate reads CloudWatch through the real SDK client from the testkit AWS fake, which holds one
// datapoint per second for each variant of a SageMaker endpoint: the challenger fails 20 % of its invocations,
// the champion 2 %. Intervals are 1 s, so each GetMetricData window holds one datapoint per series.

let fake: AwsFake;
beforeEach(async () => {
  fake = await AwsFake.start('eu-west-1');
});
afterEach(() => fake.close());

const CHECKS = `
- name: error-rate
  type: ratio
  bad: sagemaker:Invocation5XXErrors
  total: sagemaker:Invocations
`;

/** Per-second datapoints from a few seconds ago to well past the gate's longest run. */
function seedVariant(variant: string, errors: number, invocations: number): void {
  const now = Math.floor(Date.now() / 1000);
  const seconds = Array.from({ length: 90 }, (_, index) => now - 5 + index);
  const dimensions = { EndpointName: 'recs-prod', VariantName: variant };
  fake.cloudwatch.put(
    'AWS/SageMaker',
    'Invocation5XXErrors',
    dimensions,
    'Sum',
    seconds.map((t) => [t, errors]),
  );
  fake.cloudwatch.put(
    'AWS/SageMaker',
    'Invocations',
    dimensions,
    'Sum',
    seconds.map((t) => [t, invocations]),
  );
}

const gate = () =>
  runAction({
    action: 'canary-gate',
    workspace: workspaceWith({}),
    env: fake.env(),
    inputs: {
      source: 'cloudwatch',
      'source-config':
        '{ sagemaker: { endpointName: recs-prod, variants: { v1: champion, v2: challenger } }, maxAttempts: 3 }',
      checks: CHECKS,
      interval: '1s',
      settle: '200ms',
      'max-duration': '20s',
      'min-samples': '100',
      'canary-version': 'v2',
      'baseline-version': 'v1',
    },
  });

describe('canary-gate over CloudWatch (built dist, AWS fake)', () => {
  it('rolls back a SageMaker challenger with ten times the champion error rate', async () => {
    seedVariant('champion', 2, 100);
    seedVariant('challenger', 20, 100);
    const run = await gate();
    expect(expectCleanFailure(run)).toMatch(
      /^The canary gate decided rollback for v2: error-rate is worse than baseline/,
    );
    expect(run.outputs.verdict).toBe('rollback');
    const windows = fake.callsOf('GetMetricData').map((call) => [call.input.StartTime, call.input.EndTime]);
    // Canary and baseline series of one interval are read over the same window.
    const counts = new Map<string, number>();
    for (const window of windows)
      counts.set(JSON.stringify(window), (counts.get(JSON.stringify(window)) ?? 0) + 1);
    expect([...counts.values()].every((count) => count === 4)).toBe(true);
    expect(fake.rejected).toEqual([]);
  });

  it('stops as inconclusive when the metrics have no data, instead of passing the canary', async () => {
    const run = await gate();
    expect(run.outputs.verdict).toBe('inconclusive');
  });
});
