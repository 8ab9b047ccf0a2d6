import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import { IAM_PREFIX } from '@recsys-actions/testkit/aws/errors';
import { AwsFake } from '@recsys-actions/testkit/aws/fake';
import { loadServiceModel } from '@recsys-actions/testkit/aws/service-model';
import { canarySplit, createRouter, parseRouterConfig } from '../src/index';
import { applyObserved } from './apply-observed';

// The least-privilege IAM policies the READMEs tell users to copy: every action they name must be a real
// operation of its service (botocore's models, as the fakes use), and every call a router makes must be allowed
// by its router's policy, or a user who copies it gets AccessDenied mid-release.

/** The botocore model behind each IAM service prefix. */
const MODELS: Record<string, [string, string]> = {
  sagemaker: ['sagemaker', '2017-07-24'],
  lambda: ['lambda', '2015-03-31'],
  elasticloadbalancing: ['elbv2', '2015-12-01'],
  cloudwatch: ['cloudwatch', '2010-08-01'],
};

interface PolicyBlock {
  /** The `####`/`##` heading the block sits under, e.g. "`lambda`: alias routing". */
  heading: string;
  /** The prose of the section, where alternatives (ModifyRule instead of ModifyListener) are named. */
  section: string;
  actions: string[];
}

/** Every JSON block of a README that holds an IAM policy (a `Statement`), with the actions it allows. */
function policyBlocks(readme: string): PolicyBlock[] {
  const text = readFileSync(join(repoRoot(), readme), 'utf8');
  const sections = text.split(/^(?=#{2,4} )/m);
  return sections.flatMap((section) => {
    const heading = section.split('\n', 1)[0] ?? '';
    return [...section.matchAll(/```json\n([\s\S]*?)```/g)].flatMap(([, json = '']) => {
      const document = JSON.parse(json) as { Statement?: { Action: string | string[] }[] };
      if (!document.Statement) return [];
      const actions = document.Statement.flatMap((statement) => [statement.Action].flat());
      return [{ heading, section, actions }];
    });
  });
}

const blocks = [
  ...policyBlocks('packages/traffic/README.md'),
  ...policyBlocks('packages/telemetry/README.md'),
];

it('the READMEs hold an IAM policy for each AWS router and source', () => {
  expect(blocks.map((block) => /`(\w+)`/.exec(block.heading)?.[1])).toEqual([
    'sagemaker',
    'lambda',
    'alb',
    'cloudwatch',
  ]);
});

it.each(blocks.flatMap((block) => block.actions.map((action) => [action, block.heading] as const)))(
  '%s (under %s) is an operation of its service in botocore',
  (action) => {
    const [prefix = '', operation = ''] = action.split(':');
    const model = MODELS[prefix];
    expect(model).toBeDefined();
    expect(Object.keys(loadServiceModel(...(model as [string, string])).operations)).toContain(operation);
  },
);

describe('every call a router makes is allowed by its README policy', () => {
  let fake: AwsFake;
  beforeEach(async () => {
    fake = await AwsFake.startInEnv('eu-west-1');
    fake.sagemaker.updatingPolls = 1;
  });
  afterEach(() => fake.close());

  const documented = (router: string) =>
    blocks.find((block) => block.heading.includes(`\`${router}\``)) ?? { actions: [], section: '' };

  /** Observes, shifts 10 % and verifies, as a step does; returns the IAM actions of the calls that reached AWS. */
  async function actionsOfAShift(type: string, config: Record<string, unknown>): Promise<string[]> {
    const router = createRouter(
      parseRouterConfig(type, { region: 'eu-west-1', pollIntervalMs: 10, ...config }),
      { environment: 'production', workspace: '/tmp' },
    );
    await applyObserved(router, canarySplit('v1', 'v2', 10));
    await router.verify(canarySplit('v1', 'v2', 10));
    return [...new Set(fake.calls.map((call) => `${IAM_PREFIX[call.service]}:${call.operation}`))].sort();
  }

  it('sagemaker', async () => {
    fake.sagemaker.addEndpoint('recs-prod', { champion: 1, challenger: 0 });
    const called = await actionsOfAShift('sagemaker', {
      endpointName: 'recs-prod',
      backends: { v1: 'champion', v2: 'challenger' },
    });
    expect(called).toEqual(['sagemaker:DescribeEndpoint', 'sagemaker:UpdateEndpointWeightsAndCapacities']);
    expect(documented('sagemaker').actions).toEqual(expect.arrayContaining(called));
  });

  it('lambda', async () => {
    fake.lambda.addFunction('ranker', ['7', '8'], { live: { version: '7' } });
    const called = await actionsOfAShift('lambda', {
      functionName: 'ranker',
      alias: 'live',
      backends: { v1: 7, v2: 8 },
    });
    expect(called).toEqual(['lambda:GetAlias', 'lambda:UpdateAlias']);
    expect(documented('lambda').actions).toEqual(expect.arrayContaining(called));
  });

  it('alb on a listener, and on a rule with ModifyRule granted instead of ModifyListener as the README says', async () => {
    const [blue, green] = [fake.elbv2.addTargetGroup('recs-v1'), fake.elbv2.addTargetGroup('recs-v2')];
    const listenerArn = fake.elbv2.addListener('l1', [{ Type: 'forward', TargetGroupArn: blue }]);
    const onListener = await actionsOfAShift('alb', { listenerArn, backends: { v1: blue, v2: green } });
    const policy = documented('alb');
    expect(policy.actions).toEqual(expect.arrayContaining(onListener));

    fake.calls.length = 0;
    const ruleArn = fake.elbv2.addRule(listenerArn, 'r1', 10, [{ Type: 'forward', TargetGroupArn: blue }]);
    const onRule = await actionsOfAShift('alb', { ruleArn, backends: { v1: blue, v2: green } });
    expect(policy.section).toContain('`elasticloadbalancing:ModifyRule`');
    const forRules = policy.actions
      .filter((action) => action !== 'elasticloadbalancing:ModifyListener')
      .concat('elasticloadbalancing:ModifyRule');
    expect(forRules).toEqual(expect.arrayContaining(onRule));
  });
});
