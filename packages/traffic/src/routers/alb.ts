import type * as ElbSdk from '@aws-sdk/client-elastic-load-balancing-v2';
import { lazily, UserFacingError } from '@recsys-actions/core';
import { z } from 'zod';
import { applyOverObserved } from '../precondition';
import type { Router, RouterBackend, RouterContext } from '../router';
import type { Split } from '../split';
import {
  awsCaller,
  awsCommonFields,
  backendsSchema,
  checkRepresentable,
  clientSettings,
  platformName,
  splitFromWeights,
  versionNamed,
  waitUntilServing,
} from './aws-platform';

const elbArn = (kind: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:${kind}/\\S+$`),
      `must be an ELB ${kind} ARN`,
    );

export const albRouterConfigSchema = lazily(() =>
  z
    .object({
      /** The listener whose default forward action is weighted; give this or ruleArn. */
      listenerArn: elbArn('listener').optional(),
      /** The listener rule whose forward action is weighted; give this or listenerArn. */
      ruleArn: elbArn('listener-rule').optional(),
      /** Our version label → the target group ARN that serves it. */
      backends: backendsSchema(elbArn('targetgroup')),
      /** How long ALB keeps a user on one target group under `stickiness: user` (1–604800 s). */
      stickinessSeconds: z.number().int().min(1).max(604_800).default(3600),
      ...awsCommonFields(),
    })
    .strict()
    .refine((config) => (config.listenerArn === undefined) !== (config.ruleArn === undefined), {
      message: 'needs exactly one of listenerArn and ruleArn',
    }),
);
export type AlbRouterConfig = z.infer<ReturnType<typeof albRouterConfigSchema>>;

const EXAMPLE =
  '{ listenerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/recs/50dc6c495c0c9188/f2f7dc8efc522ab2, backends: { v1: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/recs-v1/6d0ecf831eec9f09, v2: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/recs-v2/7e1fd0942ffda010 } }';

type Action = ElbSdk.Action;

/**
 * Routes with the weighted target groups of one forward action: a listener's default action or a rule's. Apply
 * rewrites only that action's ForwardConfig (the split's groups at their percent, other groups at 0, target-group
 * stickiness on for `user`), sends every other action back as it was, and touches no other setting of the
 * listener or rule. Observe reads DescribeListeners / DescribeRules.
 */
export function createAlbRouter(config: AlbRouterConfig, _context: RouterContext): Router {
  const api = albApi(config);
  const observe = async () => forwardSplit(forwardAction(await api.readActions(), api.resource), config);
  return {
    description: `alb ${api.resource}`,
    lockTarget: `alb:${api.arn}`,
    credentials: [],
    async check(split) {
      checkSplit(split, config);
      await observe();
    },
    observe,
    async apply(split, { expected }) {
      checkSplit(split, config);
      const actions = await api.readActions();
      const previous = forwardSplit(forwardAction(actions, api.resource), config);
      return applyOverObserved(api.resource, previous, split, expected, () =>
        api.writeActions(
          actions.map((action) => (action.Type === 'forward' ? weighted(action, split, config) : action)),
        ),
      );
    },
    async verify(split) {
      await waitUntilServing(observe, split, api.resource, config);
    },
  };
}

/** Reads and writes the actions of the listener or the rule, through a client loaded on first use. */
function albApi(config: AlbRouterConfig) {
  const settings = clientSettings('alb', config, EXAMPLE);
  const arn = config.listenerArn ?? config.ruleArn ?? '';
  const onRule = config.ruleArn !== undefined;
  const resource = `${onRule ? 'rule' : 'listener'} ${arn}`;
  const call = awsCaller(
    'elasticloadbalancing',
    resource,
    settings.region,
    () => import('@aws-sdk/client-elastic-load-balancing-v2'),
    (module) => new module.ElasticLoadBalancingV2Client(settings),
  );
  const readRule = async () =>
    (
      await call('DescribeRules', ({ module, client }) =>
        client.send(new module.DescribeRulesCommand({ RuleArns: [arn] })),
      )
    ).Rules?.[0]?.Actions ?? [];
  const readListener = async () =>
    (
      await call('DescribeListeners', ({ module, client }) =>
        client.send(new module.DescribeListenersCommand({ ListenerArns: [arn] })),
      )
    ).Listeners?.[0]?.DefaultActions ?? [];
  return {
    arn,
    resource,
    readActions: (): Promise<Action[]> => (onRule ? readRule() : readListener()),
    writeActions: (actions: Action[]) =>
      onRule
        ? call('ModifyRule', ({ module, client }) =>
            client.send(new module.ModifyRuleCommand({ RuleArn: arn, Actions: actions })),
          )
        : call('ModifyListener', ({ module, client }) =>
            client.send(new module.ModifyListenerCommand({ ListenerArn: arn, DefaultActions: actions })),
          ),
  };
}

function checkSplit(split: Split, config: AlbRouterConfig): void {
  for (const { version } of split.targets) platformName('alb', config.backends, version, EXAMPLE);
  checkRepresentable('alb', split, config.backends, EXAMPLE);
}

function forwardAction(actions: Action[], resource: string): Action {
  const forwards = actions.filter((action) => action.Type === 'forward');
  if (forwards.length !== 1 || !forwards[0]) {
    throw new UserFacingError(
      `${resource} has ${forwards.length} forward actions; the alb router weights exactly one. Nothing was changed.`,
    );
  }
  return forwards[0];
}

function groupsOf(action: Action): { arn: string; weight: number }[] {
  const groups =
    action.ForwardConfig?.TargetGroups ??
    (action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : []);
  return groups.map((group) => ({ arn: group.TargetGroupArn ?? '', weight: group.Weight ?? 1 }));
}

function forwardSplit(action: Action, config: AlbRouterConfig): Split | undefined {
  const weights = groupsOf(action).map(({ arn, weight }) => {
    const version = versionNamed(config.backends, arn);
    if (version === undefined && weight > 0) {
      throw new UserFacingError(
        `Target group ${arn} takes weight ${weight}, but backends does not map it to a version; add it (e.g. backends: { v0: ${arn} }). Nothing was changed.`,
      );
    }
    return { version: version ?? '', weight };
  });
  const sticky = action.ForwardConfig?.TargetGroupStickinessConfig?.Enabled === true;
  return splitFromWeights(weights, config.backends, sticky ? 'user' : 'request');
}

/** The forward action with the split's weights; groups it already had and the split leaves out get weight 0. */
function weighted(action: Action, split: Split, config: AlbRouterConfig): Action {
  const routed = split.targets.map((target) => ({
    TargetGroupArn: config.backends[target.version],
    Weight: target.weight,
  }));
  const others = groupsOf(action)
    .filter(({ arn }) => !routed.some((group) => group.TargetGroupArn === arn))
    .map(({ arn }) => ({ TargetGroupArn: arn, Weight: 0 }));
  const { TargetGroupArn: _single, ForwardConfig: _forward, ...rest } = action;
  return {
    ...rest,
    ForwardConfig: {
      TargetGroups: [...routed, ...others],
      TargetGroupStickinessConfig:
        split.stickiness === 'user'
          ? { Enabled: true, DurationSeconds: config.stickinessSeconds }
          : { Enabled: false },
    },
  };
}

/** The ALB router, as registered under `alb`. */
export const albRouterBackend: RouterBackend<AlbRouterConfig> = {
  type: 'alb',
  get configSchema() {
    return albRouterConfigSchema();
  },
  example: EXAMPLE,
  create: createAlbRouter,
};
