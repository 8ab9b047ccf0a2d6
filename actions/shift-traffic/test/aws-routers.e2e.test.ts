import { expectCleanFailure, workspaceWith } from '@recsys-actions/testkit';
import { AwsFake } from '@recsys-actions/testkit/aws/fake';
import { expectSuccess, journalSummary, step } from './helpers';

// shift-traffic and rollback from their built dists, with each AWS router talking to the testkit AWS fake through
// the real SDK clients (endpoints, region and test credentials come from the environment, as
// aws-actions/configure-aws-credentials leaves them). The fake validates every request against botocore's
// models and verifies its SigV4 signature.

let fake: AwsFake;
beforeEach(async () => {
  fake = await AwsFake.start('eu-west-1');
});
afterEach(() => fake.close());

interface Platform {
  router: string;
  config: () => string;
  seed: () => void;
  /** What the platform routes now, as percent per version. */
  serving: () => Record<string, number>;
}

const fast = 'pollIntervalMs: 20, maxAttempts: 3';
const platforms: Platform[] = [
  {
    router: 'sagemaker',
    config: () => `{ endpointName: recs-prod, backends: { v1: champion, v2: challenger }, ${fast} }`,
    seed: () => {
      fake.sagemaker.updatingPolls = 2;
      fake.sagemaker.addEndpoint('recs-prod', { champion: 1, challenger: 0 });
    },
    serving: () => {
      const { champion = 0, challenger = 0 } = fake.sagemaker.weights('recs-prod');
      const total = champion + challenger;
      return { v1: (100 * champion) / total, v2: (100 * challenger) / total };
    },
  },
  {
    router: 'lambda',
    config: () => `{ functionName: ranker, alias: live, backends: { v1: 7, v2: 8 }, ${fast} }`,
    seed: () => {
      fake.lambda.staleReads = 1;
      fake.lambda.addFunction('ranker', ['7', '8'], { live: { version: '7' } });
    },
    serving: () => {
      const alias = fake.lambda.alias('ranker', 'live');
      const canary = 100 * (alias.weights['8'] ?? 0);
      return alias.functionVersion === '7' ? { v1: 100 - canary, v2: canary } : { v1: 0, v2: 100 };
    },
  },
  {
    router: 'alb',
    config: () =>
      `{ listenerArn: "${[...fake.elbv2.listeners.keys()][0]}", backends: { v1: "${fake.elbv2.targetGroupArn('recs-v1')}", v2: "${fake.elbv2.targetGroupArn('recs-v2')}" }, ${fast} }`,
    seed: () => {
      fake.elbv2.addTargetGroup('recs-v2');
      fake.elbv2.addListener('l1', [
        { Type: 'forward', TargetGroupArn: fake.elbv2.addTargetGroup('recs-v1') },
      ]);
    },
    serving: () => {
      const forward = [...fake.elbv2.listeners.values()][0]?.actions[0]?.ForwardConfig?.TargetGroups ?? [];
      const weight = (name: string) =>
        forward.find((group) => group.TargetGroupArn?.includes(`/${name}/`))?.Weight ?? 0;
      const total = weight('recs-v1') + weight('recs-v2');
      return { v1: (100 * weight('recs-v1')) / total, v2: (100 * weight('recs-v2')) / total };
    },
  },
];

describe.each(platforms)('shift-traffic and rollback with the $router router (built dist)', (platform) => {
  const run = (
    action: 'shift-traffic' | 'rollback',
    workspace: string,
    inputs: Record<string, string | number>,
  ) =>
    step(
      action,
      workspace,
      { router: platform.router, 'router-config': platform.config(), ...inputs },
      { env: fake.env() },
    );

  it('shifts 10 % then 50 % to the canary, rolls back to v1, and journals each step', async () => {
    platform.seed();
    const workspace = workspaceWith({});
    for (const weight of [10, 50]) {
      const shift = await run('shift-traffic', workspace, {
        'stable-version': 'v1',
        'canary-version': 'v2',
        'canary-weight': weight,
      });
      expectSuccess(shift);
      expect(platform.serving()).toEqual({ v1: 100 - weight, v2: weight });
    }
    const back = await run('rollback', workspace, { reason: 'canary errors', confirm: 'production' });
    expectSuccess(back);
    expect(back.outputs).toMatchObject({ 'from-version': 'v2', 'to-version': 'v1' });
    expect(platform.serving()).toEqual({ v1: 100, v2: 0 });
    expect(journalSummary(workspace)).toEqual([
      'intent shift v2 v1:90/v2:10',
      'outcome applied',
      'intent shift v2 v1:50/v2:50',
      'outcome applied',
      'intent rollback v1 v1:100',
      'outcome applied',
    ]);
    expect(fake.rejected).toEqual([]);
  });

  it.each([
    [
      'a stable-version the platform does not serve',
      { 'stable-version': 'v0', 'canary-version': 'v2' },
      /^Input 'stable-version' is 'v0', but the router serves v1 100%/,
    ],
    [
      'a version missing from backends',
      { 'stable-version': 'v1', 'canary-version': 'v3' },
      /^router-config for router '\w+' has no backends entry for version 'v3' \(it maps v1, v2\); add one/,
    ],
  ])('refuses %s, changing nothing', async (_name, inputs, message) => {
    platform.seed();
    const before = platform.serving();
    const refused = await run('shift-traffic', workspaceWith({}), { ...inputs, 'canary-weight': 10 });
    expect(expectCleanFailure(refused)).toMatch(message);
    expect(platform.serving()).toEqual(before);
  });

  it('names the IAM action a denied role lacks, changing nothing', async () => {
    platform.seed();
    const action =
      {
        sagemaker: 'sagemaker:UpdateEndpointWeightsAndCapacities',
        lambda: 'lambda:UpdateAlias',
        alb: 'elasticloadbalancing:ModifyListener',
      }[platform.router] ?? '';
    fake.deny(action);
    const refused = await run('shift-traffic', workspaceWith({}), {
      'stable-version': 'v1',
      'canary-version': 'v2',
      'canary-weight': 10,
    });
    expect(expectCleanFailure(refused)).toContain(`needs "${action}"`);
    expect(platform.serving()).toEqual({ v1: 100, v2: 0 });
  });
});
