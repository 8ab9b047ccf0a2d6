import { ConfigError, UserFacingError } from '@recsys-actions/core';
import type { AwsFault } from '@recsys-actions/testkit/aws/errors';
import { AwsFake } from '@recsys-actions/testkit/aws/fake';
import { loadServiceModel } from '@recsys-actions/testkit/aws/service-model';
import {
  allTrafficTo,
  canarySplit,
  createRouter,
  parseRouterConfig,
  SplitConflictError,
  type Router,
} from '../src/index';
import { applyObserved } from './apply-observed';

let fake: AwsFake;
const fast = { region: 'eu-west-1', pollIntervalMs: 10, verifyTimeoutMs: 5_000 };
const context = { environment: 'production', workspace: '/tmp' };

beforeEach(async () => {
  fake = await AwsFake.startInEnv('eu-west-1');
});
afterEach(() => fake.close());

function router(type: string, config: Record<string, unknown>): Router {
  return createRouter(parseRouterConfig(type, { ...fast, ...config }), context);
}

async function shift(target: Router, split: ReturnType<typeof canarySplit>) {
  const result = await applyObserved(target, split);
  await target.verify(split);
  return result;
}

describe('sagemaker router', () => {
  const config = { endpointName: 'recs-prod', backends: { v1: 'champion', v2: 'challenger' } };
  beforeEach(() => fake.sagemaker.addEndpoint('recs-prod', { champion: 1, challenger: 0, shadow: 0 }));

  it('sets variant weights, resolves apply only once Updating is over, and observes what serves', async () => {
    fake.sagemaker.updatingPolls = 3;
    const sagemaker = router('sagemaker', config);
    expect(await sagemaker.observe()).toEqual(allTrafficTo('v1'));
    expect(await shift(sagemaker, canarySplit('v1', 'v2', 10))).toEqual({
      previous: allTrafficTo('v1'),
      changed: true,
    });
    expect(fake.sagemaker.weights('recs-prod')).toEqual({ champion: 90, challenger: 10, shadow: 0 });
    expect(await sagemaker.observe()).toEqual(canarySplit('v1', 'v2', 10));
    // Only the mapped variants' weights are sent: capacity and the unmapped variant stay as they are.
    expect(fake.callsOf('UpdateEndpointWeightsAndCapacities')[0]?.input).toEqual({
      EndpointName: 'recs-prod',
      DesiredWeightsAndCapacities: [
        { VariantName: 'champion', DesiredWeight: 90 },
        { VariantName: 'challenger', DesiredWeight: 10 },
      ],
    });
    expect(await shift(sagemaker, canarySplit('v1', 'v2', 10))).toEqual({
      previous: canarySplit('v1', 'v2', 10),
      changed: false,
    });
    await shift(sagemaker, allTrafficTo('v2'));
    expect(await sagemaker.observe()).toEqual(allTrafficTo('v2'));
    expect(fake.rejected).toEqual([]);
  });

  it('turns a Failed update into an error with SageMaker reason, the old weights still serving', async () => {
    fake.sagemaker.failNextUpdate('Capacity unavailable for ml.g5.xlarge');
    const sagemaker = router('sagemaker', config);
    const failed = /recs-prod \(eu-west-1\) is Failed: Capacity unavailable for ml.g5.xlarge/;
    await expect(applyObserved(sagemaker, canarySplit('v1', 'v2', 10))).rejects.toThrow(failed);
    await expect(sagemaker.verify(canarySplit('v1', 'v2', 10))).rejects.toThrow(failed);
    expect(await sagemaker.observe()).toEqual(allTrafficTo('v1'));
  });

  it('observes what an update sent by a run that died will serve, once SageMaker settles it', async () => {
    fake.sagemaker.updatingPolls = 3;
    const { SageMakerClient, UpdateEndpointWeightsAndCapacitiesCommand } =
      await import('@aws-sdk/client-sagemaker');
    await new SageMakerClient({}).send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: 'recs-prod',
        DesiredWeightsAndCapacities: [
          { VariantName: 'champion', DesiredWeight: 75 },
          { VariantName: 'challenger', DesiredWeight: 25 },
        ],
      }),
    );
    expect(await router('sagemaker', config).observe()).toEqual(canarySplit('v1', 'v2', 25));
  });

  it('refuses a split another run moved away from, changing nothing', async () => {
    const sagemaker = router('sagemaker', config);
    await expect(
      sagemaker.apply(allTrafficTo('v2'), { expected: canarySplit('v1', 'v2', 50) }),
    ).rejects.toBeInstanceOf(SplitConflictError);
    expect(fake.callsOf('UpdateEndpointWeightsAndCapacities')).toEqual([]);
  });

  it('refuses an unknown variant, an unmapped version and user stickiness before touching anything', async () => {
    const ghost = router('sagemaker', { ...config, backends: { v1: 'champion', v2: 'ghost' } });
    await expect(ghost.check(canarySplit('v1', 'v2', 10))).rejects.toThrow(
      "maps 'v2' to variant 'ghost', which endpoint recs-prod does not have (it has champion, challenger, shadow)",
    );
    const sagemaker = router('sagemaker', config);
    await expect(sagemaker.check(canarySplit('v1', 'v3', 10))).rejects.toThrow(
      "has no backends entry for version 'v3' (it maps v1, v2)",
    );
    await expect(sagemaker.check(canarySplit('v1', 'v2', 10, 'user'))).rejects.toBeInstanceOf(ConfigError);
    await expect(sagemaker.check(canarySplit('v1', 'v2', 0))).rejects.toThrow(/indistinguishable/);
    await expect(ghost.apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') })).rejects.toThrow(
      /ghost/,
    );
    expect(fake.callsOf('UpdateEndpointWeightsAndCapacities')).toEqual([]);
  });

  it('says which variant is weighted but unmapped, so its state does not match the config', async () => {
    fake.sagemaker.addEndpoint('recs-prod', { champion: 1, legacy: 1 });
    await expect(router('sagemaker', config).observe()).rejects.toThrow(
      "Variant 'legacy' of endpoint recs-prod has weight 1, but backends does not map it",
    );
  });

  it('names the IAM action AWS denied and leaves the weights', async () => {
    fake.deny('sagemaker:UpdateEndpointWeightsAndCapacities');
    await expect(applyObserved(router('sagemaker', config), canarySplit('v1', 'v2', 10))).rejects.toThrow(
      'AWS denied sagemaker:UpdateEndpointWeightsAndCapacities on endpoint recs-prod (eu-west-1): the role this job assumed needs "sagemaker:UpdateEndpointWeightsAndCapacities"',
    );
    expect(fake.sagemaker.weights('recs-prod')).toEqual({ champion: 1, challenger: 0, shadow: 0 });
  });

  it('rides out throttling within its retry budget, and stops at the budget', async () => {
    fake.inject('DescribeEndpoint', { kind: 'throttle' }, 2);
    expect(await router('sagemaker', { ...config, maxAttempts: 3 }).observe()).toEqual(allTrafficTo('v1'));
    fake.inject('DescribeEndpoint', { kind: 'throttle' }, 2);
    await expect(router('sagemaker', { ...config, maxAttempts: 2 }).observe()).rejects.toThrow(
      'sagemaker:DescribeEndpoint on endpoint recs-prod (eu-west-1) failed: ThrottlingException: Rate exceeded',
    );
  });

  it('tells an unreachable region from a refusal', async () => {
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = 'http://127.0.0.1:9';
    await expect(router('sagemaker', { ...config, maxAttempts: 1 }).observe()).rejects.toThrow(
      'Cannot reach AWS in region eu-west-1 for sagemaker:DescribeEndpoint (ECONNREFUSED)',
    );
  });

  it('needs a region from the config or the environment', () => {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    expect(() => createRouter(parseRouterConfig('sagemaker', config), context)).toThrow(/needs a region/);
  });
});

describe('lambda router', () => {
  const config = { functionName: 'ranker', alias: 'live', backends: { v1: 7, v2: '8' } };
  beforeEach(() => fake.lambda.addFunction('ranker', ['6', '7', '8'], { live: { version: '7' } }));

  it('weights one additional version on the alias and promotes it, through stale reads', async () => {
    fake.lambda.staleReads = 2;
    const lambda = router('lambda', config);
    expect(await lambda.observe()).toEqual(allTrafficTo('v1'));
    await shift(lambda, canarySplit('v1', 'v2', 25));
    expect(fake.callsOf('UpdateAlias')[0]?.input).toMatchObject({
      FunctionVersion: '7',
      RoutingConfig: { AdditionalVersionWeights: { '8': 0.25 } },
    });
    expect(await lambda.observe()).toEqual(canarySplit('v1', 'v2', 25));
    await shift(lambda, canarySplit('v1', 'v2', 0));
    expect(await lambda.observe()).toEqual(canarySplit('v1', 'v2', 0));
    await shift(lambda, allTrafficTo('v2'));
    const alias = fake.lambda.alias('ranker', 'live');
    expect([alias.functionVersion, alias.weights, alias.description]).toEqual(['8', {}, '']);
    expect(fake.rejected).toEqual([]);
  });

  it('refuses three versions, user stickiness, an unmapped version and an unknown alias', async () => {
    const lambda = router('lambda', config);
    const three = {
      targets: [
        { version: 'v1', weight: 80 },
        { version: 'v2', weight: 10 },
        { version: 'v3', weight: 10 },
      ],
      stickiness: 'request' as const,
    };
    await expect(lambda.check(three)).rejects.toThrow(/two versions at most/);
    await expect(lambda.check(canarySplit('v1', 'v2', 10, 'user'))).rejects.toThrow(/per invocation/);
    await expect(lambda.check(canarySplit('v1', 'v9', 10))).rejects.toThrow(
      "no backends entry for version 'v9'",
    );
    await expect(router('lambda', { ...config, alias: 'canary' }).observe()).rejects.toThrow(
      /lambda:GetAlias on alias ranker:canary \(eu-west-1\) failed: ResourceNotFoundException/,
    );
    expect(() => parseRouterConfig('lambda', { ...config, backends: { v1: 'latest' } })).toThrow(
      /published version number/,
    );
    expect(fake.callsOf('UpdateAlias')).toEqual([]);
  });

  it('reports a version Lambda never published without changing the alias', async () => {
    const lambda = router('lambda', { ...config, backends: { v1: 7, v2: 99 } });
    await expect(applyObserved(lambda, canarySplit('v1', 'v2', 10))).rejects.toThrow(/Function not found/);
    expect(fake.lambda.alias('ranker', 'live').weights).toEqual({});
  });

  it('names lambda:UpdateAlias when it is denied', async () => {
    fake.deny('lambda:UpdateAlias');
    await expect(applyObserved(router('lambda', config), canarySplit('v1', 'v2', 10))).rejects.toThrow(
      /AWS denied lambda:UpdateAlias on alias ranker:live/,
    );
  });

  it('answers a stale RevisionId as Lambda does, re-reads, and updates again when only the description moved', async () => {
    // Between the router's GetAlias and its UpdateAlias, someone edits the alias's description.
    fake.inject('UpdateAlias', {
      kind: 'meanwhile',
      change: () => fake.lambda.changeAlias('ranker', 'live', { description: 'edited in the console' }),
    });
    const lambda = router('lambda', config);
    await expect(
      lambda.apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') }),
    ).resolves.toEqual({ previous: allTrafficTo('v1'), changed: true });
    expect(
      fake.calls.filter((call) => call.service === 'lambda').map((call) => [call.operation, call.error]),
    ).toEqual([
      ['GetAlias', undefined],
      ['UpdateAlias', 'PreconditionFailedException'],
      ['GetAlias', undefined],
      ['UpdateAlias', undefined],
    ]);
    // Lambda's model declares the error on UpdateAlias with HTTP 412, which the fake answered.
    const model = loadServiceModel('lambda', '2015-03-31');
    expect(model.operations.UpdateAlias?.errors).toContainEqual({ shape: 'PreconditionFailedException' });
    expect(model.shapes.PreconditionFailedException?.error?.httpStatusCode).toBe(412);
    const alias = fake.lambda.alias('ranker', 'live');
    expect([alias.functionVersion, alias.weights, alias.description]).toEqual([
      '7',
      { '8': 0.1 },
      'edited in the console',
    ]);
  });

  it('refuses as a conflict, changing nothing, when the RevisionId went stale because someone moved the weights', async () => {
    fake.inject('UpdateAlias', {
      kind: 'meanwhile',
      change: () => fake.lambda.changeAlias('ranker', 'live', { weights: { '8': 0.5 } }),
    });
    const attempt = router('lambda', config).apply(canarySplit('v1', 'v2', 10), {
      expected: allTrafficTo('v1'),
    });
    await expect(attempt).rejects.toBeInstanceOf(SplitConflictError);
    await expect(attempt).rejects.toThrow('v1 50% / v2 50%');
    expect(fake.callsOf('UpdateAlias').map((call) => call.error)).toEqual(['PreconditionFailedException']);
    expect(fake.lambda.alias('ranker', 'live').weights).toEqual({ '8': 0.5 });
  });

  it('takes a stale RevisionId as applied when the re-read alias routes exactly the split (an earlier try landed)', async () => {
    // The first try's update landed but its answer was lost, so the retry carries the old RevisionId.
    fake.inject('UpdateAlias', {
      kind: 'meanwhile',
      change: () => fake.lambda.changeAlias('ranker', 'live', { weights: { '8': 0.1 } }),
    });
    await expect(
      router('lambda', config).apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') }),
    ).resolves.toEqual({ previous: allTrafficTo('v1'), changed: true });
    expect(fake.callsOf('UpdateAlias').map((call) => call.error)).toEqual(['PreconditionFailedException']);
  });

  it('is a conflict when the alias moved after the caller observed it', async () => {
    const lambda = router('lambda', config);
    await expect(
      lambda.apply(canarySplit('v1', 'v2', 10), { expected: canarySplit('v1', 'v2', 5) }),
    ).rejects.toBeInstanceOf(SplitConflictError);
  });
});

describe('alb router', () => {
  let blue: string;
  let green: string;
  let listener: string;
  beforeEach(() => {
    blue = fake.elbv2.addTargetGroup('recs-v1');
    green = fake.elbv2.addTargetGroup('recs-v2');
    listener = fake.elbv2.addListener('l1', [{ Type: 'forward', TargetGroupArn: blue }]);
  });

  it('weights the listener forward action, with stickiness per user, through stale reads', async () => {
    fake.elbv2.staleReads = 1;
    const alb = router('alb', {
      listenerArn: listener,
      backends: { v1: blue, v2: green },
      stickinessSeconds: 600,
    });
    expect(await alb.observe()).toEqual(allTrafficTo('v1'));
    await shift(alb, canarySplit('v1', 'v2', 10, 'user'));
    expect(await alb.observe()).toEqual(canarySplit('v1', 'v2', 10, 'user'));
    expect(fake.callsOf('ModifyListener')[0]?.input).toEqual({
      ListenerArn: listener,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: blue, Weight: 90 },
              { TargetGroupArn: green, Weight: 10 },
            ],
            TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 600 },
          },
        },
      ],
    });
    await shift(alb, allTrafficTo('v1', 'user'));
    expect(await alb.observe()).toEqual(allTrafficTo('v1', 'user'));
    expect(fake.rejected).toEqual([]);
  });

  it('weights a rule, keeping its conditions and its other actions', async () => {
    const rule = fake.elbv2.addRule(listener, 'r1', 10, [
      { Type: 'forward', Order: 2, TargetGroupArn: blue },
    ]);
    const alb = router('alb', { ruleArn: rule, backends: { v1: blue, v2: green } });
    await shift(alb, canarySplit('v1', 'v2', 50));
    expect(await alb.observe()).toEqual(canarySplit('v1', 'v2', 50));
    expect(fake.elbv2.rules.get(rule)?.conditions).toHaveLength(1);
    expect(fake.elbv2.rules.get(rule)?.actions[0]?.Order).toBe(2);
  });

  it('reports an unknown target group, listener and denied action, changing nothing', async () => {
    const ghost = fake.elbv2.targetGroupArn('ghost');
    await expect(
      applyObserved(
        router('alb', { listenerArn: listener, backends: { v1: blue, v2: ghost } }),
        canarySplit('v1', 'v2', 10),
      ),
    ).rejects.toThrow(/TargetGroupNotFoundException: Target groups '.*ghost.*' not found/);
    await expect(
      router('alb', { listenerArn: `${listener}x`, backends: { v1: blue } }).observe(),
    ).rejects.toThrow(/DescribeListeners .* failed: ListenerNotFoundException/);
    fake.deny('elasticloadbalancing:ModifyListener');
    await expect(
      applyObserved(
        router('alb', { listenerArn: listener, backends: { v1: blue, v2: green } }),
        canarySplit('v1', 'v2', 10),
      ),
    ).rejects.toThrow(/needs "elasticloadbalancing:ModifyListener"/);
    expect(
      await router('alb', { listenerArn: listener, backends: { v1: blue, v2: green } }).observe(),
    ).toEqual(allTrafficTo('v1'));
  });

  it('needs exactly one of listenerArn and ruleArn', () => {
    expect(() => parseRouterConfig('alb', { backends: { v1: blue } })).toThrow(
      /exactly one of listenerArn and ruleArn/,
    );
  });
});

it('errors are user-facing, never stack traces', async () => {
  fake.sagemaker.addEndpoint('recs-prod', { champion: 1 });
  const error = await router('sagemaker', { endpointName: 'nope', backends: { v1: 'champion' } })
    .observe()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserFacingError);
  expect((error as Error).message).toMatch(
    /sagemaker:DescribeEndpoint on endpoint nope \(eu-west-1\) failed: ValidationException: Could not find endpoint/,
  );
});

describe.each([
  {
    type: 'sagemaker',
    write: 'UpdateEndpointWeightsAndCapacities',
    seed: () => {
      fake.sagemaker.updatingPolls = 0;
      fake.sagemaker.addEndpoint('recs-prod', { champion: 1, challenger: 0 });
      return { endpointName: 'recs-prod', backends: { v1: 'champion', v2: 'challenger' } };
    },
  },
  {
    type: 'lambda',
    write: 'UpdateAlias',
    seed: () => {
      fake.lambda.addFunction('ranker', ['7', '8'], { live: { version: '7' } });
      return { functionName: 'ranker', alias: 'live', backends: { v1: 7, v2: 8 } };
    },
  },
  {
    type: 'alb',
    write: 'ModifyListener',
    seed: () => {
      const [blue, green] = [fake.elbv2.addTargetGroup('recs-v1'), fake.elbv2.addTargetGroup('recs-v2')];
      const listenerArn = fake.elbv2.addListener('l1', [{ Type: 'forward', TargetGroupArn: blue }]);
      return { listenerArn, backends: { v1: blue, v2: green } };
    },
  },
])('$type router under API faults on $write', ({ type, write, seed }) => {
  const faults: [string, AwsFault][] = [
    ['throttling with Retry-After', { kind: 'throttle', retryAfterSeconds: 1 }],
    ['a 5xx', { kind: 'server-error' }],
    ['a request that hangs', { kind: 'hang', ms: 2_000 }],
  ];
  const budget = { maxAttempts: 3, requestTimeoutMs: 300 };

  it.each(faults)('retries %s within maxAttempts and applies the split', async (_name, fault) => {
    const target = router(type, { ...seed(), ...budget });
    fake.inject(write, fault, budget.maxAttempts - 1);
    await shift(target, canarySplit('v1', 'v2', 10));
    expect(await target.observe()).toEqual(canarySplit('v1', 'v2', 10));
    expect(fake.callsOf(write)).toHaveLength(budget.maxAttempts);
  });

  it.each(faults)(
    'stops at maxAttempts of %s with a clear error, the routing as it was',
    async (_name, fault) => {
      const target = router(type, { ...seed(), ...budget });
      fake.inject(write, fault, budget.maxAttempts);
      const attempt = applyObserved(target, canarySplit('v1', 'v2', 10));
      await expect(attempt).rejects.toBeInstanceOf(UserFacingError);
      await expect(attempt).rejects.toThrow(new RegExp(`:${write}\\b`));
      expect(fake.callsOf(write)).toHaveLength(budget.maxAttempts);
      expect(await target.observe()).toEqual(allTrafficTo('v1'));
    },
  );
});
