import { AwsFake } from '@recsys-actions/testkit/aws/fake';
import { configureMetricSource, MetricSourceError, openMetricSource, type SeriesQuery } from '../src/index';

let fake: AwsFake;
const START = 1_800_000_000;
const window = { index: 0, startSeconds: 0, endSeconds: 300 };

beforeEach(async () => {
  fake = await AwsFake.startInEnv('eu-west-1');
});
afterEach(() => fake.close());

const setup = { name: 'source-config', workspace: '/tmp', startSeconds: START, credentials: {} };
const open = (extra: Record<string, unknown> = {}) =>
  openMetricSource(
    configureMetricSource(
      {
        source: 'cloudwatch',
        sagemaker: { endpointName: 'recs-prod', variants: { v1: 'champion', v2: 'challenger' } },
        lambda: { functionName: 'ranker', alias: 'live', versions: { v1: 7, v2: 8 } },
        maxAttempts: 3,
        ...extra,
      },
      setup,
    ),
  );
const series = (expression: string, role: 'canary' | 'baseline', version: string): SeriesQuery => ({
  expression,
  aggregation: 'sum',
  role,
  version,
  environment: 'production',
});
const variant = (name: string) => ({ EndpointName: 'recs-prod', VariantName: name });

describe('cloudwatch source', () => {
  it('reads the SageMaker templates per variant, canary and baseline over the same window', async () => {
    fake.cloudwatch.put('AWS/SageMaker', 'Invocation5XXErrors', variant('challenger'), 'Sum', [[START, 6]]);
    fake.cloudwatch.put('AWS/SageMaker', 'Invocation5XXErrors', variant('champion'), 'Sum', [[START, 2]]);
    fake.cloudwatch.put('AWS/SageMaker', 'Invocations', variant('challenger'), 'Sum', [[START, 100]]);
    // Outside the window: must not be counted.
    fake.cloudwatch.put('AWS/SageMaker', 'Invocation5XXErrors', variant('challenger'), 'Sum', [
      [START + 300, 50],
    ]);
    const source = await open();
    expect(await source.read(series('sagemaker:Invocation5XXErrors', 'canary', 'v2'), window)).toBe(6);
    expect(await source.read(series('sagemaker:Invocation5XXErrors', 'baseline', 'v1'), window)).toBe(2);
    const windows = fake.callsOf('GetMetricData').map((call) => [call.input.StartTime, call.input.EndTime]);
    expect(windows).toEqual([
      [START, START + 300],
      [START, START + 300],
    ]);
    expect(
      await source.read(
        series('100 * sagemaker:Invocation5XXErrors / sagemaker:Invocations', 'canary', 'v2'),
        window,
      ),
    ).toBe(6);
    expect(fake.rejected).toEqual([]);
  });

  it('tells no data from a value, and reads Lambda by alias and executed version', async () => {
    const dimensions = { FunctionName: 'ranker', Resource: 'ranker:live', ExecutedVersion: '8' };
    fake.cloudwatch.put('AWS/Lambda', 'Errors', dimensions, 'Sum', [[START + 60, 0]]);
    const source = await open();
    expect(await source.read(series('lambda:Errors', 'canary', 'v2'), window)).toBe(0);
    expect(await source.read(series('lambda:Errors', 'baseline', 'v1'), window)).toBeUndefined();
    expect(fake.callsOf('GetMetricData')[0]?.input.MetricDataQueries).toEqual([
      {
        Id: 'm0',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Errors',
            Dimensions: [
              { Name: 'FunctionName', Value: 'ranker' },
              { Name: 'Resource', Value: 'ranker:live' },
              { Name: 'ExecutedVersion', Value: '8' },
            ],
          },
          Period: 300,
          Stat: 'Sum',
        },
        ReturnData: true,
      },
    ]);
  });

  it('fills placeholders in any metric and its dimensions', async () => {
    fake.cloudwatch.put('Recs', 'Clicks', { Model: 'v2' }, 'Sum', [[START, 40]]);
    const source = await open();
    expect(
      await source.read(series('Recs/Ranking:Clicks{Model={{version}}}:Sum', 'canary', 'v2'), window),
    ).toBeUndefined();
    fake.cloudwatch.put('Recs/Ranking', 'Clicks', { Model: 'v2' }, 'Sum', [[START, 40]]);
    expect(
      await source.read(series('Recs/Ranking:Clicks{Model={{version}}}:Sum', 'canary', 'v2'), window),
    ).toBe(40);
  });

  it('retries throttling within its budget, then fails as a provider error, never as no data', async () => {
    fake.cloudwatch.put(
      'AWS/Lambda',
      'Errors',
      { FunctionName: 'ranker', Resource: 'ranker:live', ExecutedVersion: '8' },
      'Sum',
      [[START, 3]],
    );
    const source = await open();
    fake.inject('GetMetricData', { kind: 'throttle' }, 2);
    expect(await source.read(series('lambda:Errors', 'canary', 'v2'), window)).toBe(3);
    fake.inject('GetMetricData', { kind: 'throttle' }, 3);
    await expect(source.read(series('lambda:Errors', 'canary', 'v2'), window)).rejects.toMatchObject({
      failure: 'provider-error',
      message: expect.stringContaining('Throttling'),
    });
    fake.deny('cloudwatch:GetMetricData');
    await expect(source.read(series('lambda:Errors', 'canary', 'v2'), window)).rejects.toThrow(
      'the role this job assumed needs "cloudwatch:GetMetricData"',
    );
  });

  it('says when CloudWatch cannot be reached', async () => {
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = 'http://127.0.0.1:9';
    const source = await open({ maxAttempts: 1 });
    const error = await source.read(series('lambda:Errors', 'canary', 'v2'), window).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricSourceError);
    expect(error).toMatchObject({ failure: 'unreachable' });
  });

  it('refuses unknown templates, missing config and unmapped versions before any read', async () => {
    const source = await open({ lambda: undefined });
    expect(() => source.validate('sagemaker:Latency', 'checks[0].query')).toThrow(
      /checks\[0\].query uses the unknown template sagemaker:Latency/,
    );
    expect(() => source.validate('lambda:Errors', 'checks[0].bad')).toThrow(/needs lambda: \{ functionName/);
    expect(() => source.validate('errors / calls', 'checks[0].bad')).toThrow(/names no CloudWatch metric/);
    await expect(source.read(series('sagemaker:Invocations', 'canary', 'v3'), window)).rejects.toThrow(
      "has no sagemaker.variants entry for version 'v3'",
    );
    expect(fake.calls).toEqual([]);
  });
});
