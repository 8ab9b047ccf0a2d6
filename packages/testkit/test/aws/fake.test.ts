import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import {
  DescribeEndpointCommand,
  SageMakerClient,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from '@aws-sdk/client-sagemaker';
import { AwsFake } from '../../src/aws/fake';
import { TEST_CREDENTIALS } from '../../src/aws/sigv4';

let fake: AwsFake;
const credentials = { ...TEST_CREDENTIALS };

beforeEach(async () => {
  fake = await AwsFake.start('eu-west-1');
});
afterEach(() => fake.close());

const client = <T>(Client: new (config: object) => T, extra: object = {}): T =>
  new Client({ region: 'eu-west-1', endpoint: fake.url, credentials, maxAttempts: 3, ...extra });

describe('AWS fake, through the official SDK clients', () => {
  test('SageMaker (JSON 1.1): an update answers Updating, then InService with the new weights', async () => {
    fake.sagemaker.addEndpoint('recs', { champion: 1, challenger: 0 });
    fake.sagemaker.updatingPolls = 1;
    const sagemaker = client(SageMakerClient);
    await sagemaker.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: 'recs',
        DesiredWeightsAndCapacities: [
          { VariantName: 'champion', DesiredWeight: 0.9 },
          { VariantName: 'challenger', DesiredWeight: 0.1 },
        ],
      }),
    );
    const first = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'recs' }));
    expect(first.EndpointStatus).toBe('Updating');
    expect(first.ProductionVariants?.map((v) => [v.CurrentWeight, v.DesiredWeight])).toEqual([
      [1, 0.9],
      [0, 0.1],
    ]);
    const second = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'recs' }));
    expect(second.EndpointStatus).toBe('InService');
    expect(fake.sagemaker.weights('recs')).toEqual({ champion: 0.9, challenger: 0.1 });
  });

  test('requests outside the botocore model are refused and recorded, the state untouched', async () => {
    fake.sagemaker.addEndpoint('recs', { champion: 1 });
    const sagemaker = client(SageMakerClient);
    await expect(
      sagemaker.send(
        new UpdateEndpointWeightsAndCapacitiesCommand({
          EndpointName: 'recs',
          DesiredWeightsAndCapacities: [{ VariantName: 'champion', DesiredWeight: -1 }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    expect(fake.rejected[0]?.problems).toEqual([
      'input.DesiredWeightsAndCapacities[0].DesiredWeight: must be at least 0',
    ]);
    expect(fake.sagemaker.weights('recs')).toEqual({ champion: 1 });
  });

  test('a signature made with another secret or for another region is refused', async () => {
    fake.sagemaker.addEndpoint('recs', { champion: 1 });
    const wrongSecret = client(SageMakerClient, { credentials: { ...credentials, secretAccessKey: 'nope' } });
    await expect(
      wrongSecret.send(new DescribeEndpointCommand({ EndpointName: 'recs' })),
    ).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    const wrongRegion = client(SageMakerClient, { region: 'us-east-1' });
    await expect(wrongRegion.send(new DescribeEndpointCommand({ EndpointName: 'recs' }))).rejects.toThrow(
      /scoped to a valid region/,
    );
  });

  test('Lambda (REST-JSON): one additional version with a weight, a stale RevisionId refused', async () => {
    fake.lambda.addFunction('ranker', ['1', '2', '3'], { live: { version: '1' } });
    const lambda = client(LambdaClient);
    const before = await lambda.send(new GetAliasCommand({ FunctionName: 'ranker', Name: 'live' }));
    const after = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'ranker',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
        RevisionId: before.RevisionId,
      }),
    );
    expect(after.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.25 });
    await expect(
      lambda.send(
        new UpdateAliasCommand({ FunctionName: 'ranker', Name: 'live', RevisionId: before.RevisionId }),
      ),
    ).rejects.toMatchObject({ name: 'PreconditionFailedException' });
    await expect(
      lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'ranker',
          Name: 'live',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.1, '3': 0.1 } },
        }),
      ),
    ).rejects.toThrow(/cannot be greater than 1/);
  });

  test('Lambda throttling (429 with Retry-After) is retried by the SDK', async () => {
    fake.lambda.addFunction('ranker', ['1'], { live: { version: '1' } });
    fake.inject('GetAlias', { kind: 'throttle', retryAfterSeconds: 0 }, 2);
    const alias = await client(LambdaClient).send(
      new GetAliasCommand({ FunctionName: 'ranker', Name: 'live' }),
    );
    expect(alias.FunctionVersion).toBe('1');
    expect(fake.callsOf('GetAlias').map((call) => call.error)).toEqual([
      'TooManyRequestsException',
      'TooManyRequestsException',
      undefined,
    ]);
  });

  test('ELBv2 (query/XML): a weighted forward config with stickiness round-trips', async () => {
    const blue = fake.elbv2.addTargetGroup('blue');
    const green = fake.elbv2.addTargetGroup('green');
    const listener = fake.elbv2.addListener('l1', [{ Type: 'forward', TargetGroupArn: blue }]);
    const elb = client(ElasticLoadBalancingV2Client);
    await elb.send(
      new ModifyListenerCommand({
        ListenerArn: listener,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blue, Weight: 90 },
                { TargetGroupArn: green, Weight: 10 },
              ],
              TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
            },
          },
        ],
      }),
    );
    const described = await elb.send(new DescribeListenersCommand({ ListenerArns: [listener] }));
    expect(described.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig).toEqual({
      TargetGroups: [
        { TargetGroupArn: blue, Weight: 90 },
        { TargetGroupArn: green, Weight: 10 },
      ],
      TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
    });
    await expect(
      elb.send(new DescribeListenersCommand({ ListenerArns: [`${listener}-gone`] })),
    ).rejects.toMatchObject({ name: 'ListenerNotFoundException' });
  });

  test('CloudWatch (JSON 1.0): GetMetricData with metric math over aligned datapoints', async () => {
    const dimensions = { EndpointName: 'recs', VariantName: 'challenger' };
    fake.cloudwatch.put('AWS/SageMaker', 'Invocation5XXErrors', dimensions, 'Sum', [
      [600, 2],
      [660, 1],
    ]);
    fake.cloudwatch.put('AWS/SageMaker', 'Invocations', dimensions, 'Sum', [
      [600, 100],
      [660, 50],
      [720, 10],
    ]);
    const metric = (name: string) => ({
      Metric: {
        Namespace: 'AWS/SageMaker',
        MetricName: name,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: 60,
      Stat: 'Sum',
    });
    const result = await client(CloudWatchClient).send(
      new GetMetricDataCommand({
        StartTime: new Date(600_000),
        EndTime: new Date(780_000),
        MetricDataQueries: [
          { Id: 'errors', MetricStat: metric('Invocation5XXErrors'), ReturnData: false },
          { Id: 'calls', MetricStat: metric('Invocations'), ReturnData: false },
          { Id: 'rate', Expression: '100 * errors / calls' },
        ],
      }),
    );
    expect(result.MetricDataResults?.map((r) => [r.Id, r.Values])).toEqual([['rate', [2, 2]]]);
  });
});
