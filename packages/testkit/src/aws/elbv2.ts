import { AwsServiceError } from './errors';

export interface ForwardAction {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: {
    TargetGroups?: { TargetGroupArn?: string; Weight?: number }[];
    TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number };
  };
  [other: string]: unknown;
}

interface ListenerState {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  actions: ForwardAction[];
}

interface RuleState {
  arn: string;
  listenerArn: string;
  priority: string;
  conditions: unknown[];
  actions: ForwardAction[];
}

/**
 * Application Load Balancer listeners and rules with forward actions over weighted target groups. A modify
 * replaces the whole action list, as ELB does; forward actions are checked as ELB checks them (known target
 * groups, weights 0–999, stickiness 1–604800 s when enabled, TargetGroupArn agreeing with a one-group
 * ForwardConfig) and answered normalised the way ELB answers them. `staleReads` describes after a modify still
 * answer what was there before.
 */
export class ElbFake {
  readonly listeners = new Map<string, ListenerState>();
  readonly rules = new Map<string, RuleState>();
  readonly targetGroups = new Set<string>();
  staleReads = 0;
  private readonly stale = new Map<string, { actions: ForwardAction[]; left: number }>();

  constructor(private readonly region: string) {}

  targetGroupArn(name: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:123456789012:targetgroup/${name}/0123456789abcdef`;
  }

  addTargetGroup(name: string): string {
    const arn = this.targetGroupArn(name);
    this.targetGroups.add(arn);
    return arn;
  }

  addListener(name: string, actions: ForwardAction[]): string {
    const loadBalancerArn = `arn:aws:elasticloadbalancing:${this.region}:123456789012:loadbalancer/app/recsys/0123456789abcdef`;
    const arn = `arn:aws:elasticloadbalancing:${this.region}:123456789012:listener/app/recsys/0123456789abcdef/${name}`;
    this.listeners.set(arn, {
      arn,
      loadBalancerArn,
      port: 443,
      protocol: 'HTTPS',
      actions: actions.map(normalise),
    });
    return arn;
  }

  addRule(listenerArn: string, name: string, priority: number, actions: ForwardAction[]): string {
    const arn = listenerArn.replace(':listener/', ':listener-rule/') + `/${name}`;
    const conditions = [
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/recommend*'] }, Values: ['/recommend*'] },
    ];
    this.rules.set(arn, {
      arn,
      listenerArn,
      priority: String(priority),
      conditions,
      actions: actions.map(normalise),
    });
    return arn;
  }

  handle(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'DescribeListeners':
        return {
          Listeners: this.pick(this.listeners, input.ListenerArns, 'ListenerNotFound').map((l) =>
            this.describeListener(l),
          ),
        };
      case 'DescribeRules':
        return {
          Rules: this.pick(this.rules, input.RuleArns, 'RuleNotFound').map((r) => this.describeRule(r)),
        };
      case 'ModifyListener':
        return {
          Listeners: [
            this.describeListener(
              this.modify(
                this.listeners,
                String(input.ListenerArn),
                input.DefaultActions,
                'ListenerNotFound',
              ),
            ),
          ],
        };
      case 'ModifyRule':
        return {
          Rules: [
            this.describeRule(this.modify(this.rules, String(input.RuleArn), input.Actions, 'RuleNotFound')),
          ],
        };
      default:
        throw new AwsServiceError('InvalidAction', `The fake does not serve ELBv2 ${operation}`);
    }
  }

  private pick<T>(store: Map<string, T>, arns: unknown, notFound: string): T[] {
    if (!Array.isArray(arns)) throw new AwsServiceError('ValidationError', 'The fake needs ARNs to describe');
    return arns.map((arn: string) => {
      const found = store.get(arn);
      if (!found)
        throw new AwsServiceError(
          notFound,
          `One or more ${notFound === 'RuleNotFound' ? 'rules' : 'listeners'} not found`,
        );
      return found;
    });
  }

  private modify<T extends { arn: string; actions: ForwardAction[] }>(
    store: Map<string, T>,
    arn: string,
    actions: unknown,
    notFound: string,
  ): T {
    const found = store.get(arn);
    if (!found)
      throw new AwsServiceError(
        notFound,
        `One or more ${notFound === 'RuleNotFound' ? 'rules' : 'listeners'} not found`,
      );
    if (actions === undefined) return found;
    const next = (actions as ForwardAction[]).map((action) => this.checked(action));
    this.stale.set(arn, { actions: found.actions, left: this.staleReads });
    found.actions = next.map(normalise);
    return found;
  }

  private checked(action: ForwardAction): ForwardAction {
    if (action.Type !== 'forward') return action;
    const groups = action.ForwardConfig?.TargetGroups ?? [];
    if (action.TargetGroupArn === undefined && groups.length === 0) {
      throw new AwsServiceError(
        'ValidationError',
        'A target group ARN must be specified for a forward action',
      );
    }
    if (
      action.TargetGroupArn !== undefined &&
      groups.length > 0 &&
      (groups.length > 1 || groups[0]?.TargetGroupArn !== action.TargetGroupArn)
    ) {
      throw new AwsServiceError(
        'ValidationError',
        'You cannot specify both a target group ARN and a forward config with different target groups',
      );
    }
    for (const group of groups) {
      if (!group.TargetGroupArn || !this.targetGroups.has(group.TargetGroupArn)) {
        throw new AwsServiceError('TargetGroupNotFound', `Target groups '${group.TargetGroupArn}' not found`);
      }
      if (group.Weight !== undefined && (group.Weight < 0 || group.Weight > 999)) {
        throw new AwsServiceError('ValidationError', 'Target group weight must be between 0 and 999');
      }
    }
    const stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
    if (
      stickiness?.Enabled &&
      (stickiness.DurationSeconds === undefined ||
        stickiness.DurationSeconds < 1 ||
        stickiness.DurationSeconds > 604800)
    ) {
      throw new AwsServiceError(
        'ValidationError',
        'Target group stickiness duration must be between 1 and 604800 seconds',
      );
    }
    return action;
  }

  private actionsRead(arn: string, actions: ForwardAction[]): ForwardAction[] {
    const lagging = this.stale.get(arn);
    if (lagging && lagging.left > 0) {
      lagging.left -= 1;
      return lagging.actions;
    }
    return actions;
  }

  private describeListener(listener: ListenerState): unknown {
    return {
      ListenerArn: listener.arn,
      LoadBalancerArn: listener.loadBalancerArn,
      Port: listener.port,
      Protocol: listener.protocol,
      DefaultActions: this.actionsRead(listener.arn, listener.actions),
    };
  }

  private describeRule(rule: RuleState): unknown {
    return {
      RuleArn: rule.arn,
      Priority: rule.priority,
      Conditions: rule.conditions,
      Actions: this.actionsRead(rule.arn, rule.actions),
      IsDefault: false,
    };
  }
}

/** ELB answers a forward action with both forms when it has one target group, and the config form otherwise. */
function normalise(action: ForwardAction): ForwardAction {
  if (action.Type !== 'forward') return action;
  const groups = action.ForwardConfig?.TargetGroups ?? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }];
  const { TargetGroupArn: _single, ...rest } = action;
  return {
    ...rest,
    ...(groups.length === 1 ? { TargetGroupArn: groups[0]?.TargetGroupArn } : {}),
    ForwardConfig: {
      TargetGroups: groups.map((group) => ({
        TargetGroupArn: group.TargetGroupArn,
        Weight: group.Weight ?? 1,
      })),
      TargetGroupStickinessConfig: action.ForwardConfig?.TargetGroupStickinessConfig ?? { Enabled: false },
    },
  };
}
