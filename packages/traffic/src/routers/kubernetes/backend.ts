import type { z } from 'zod';
import type { RouterBackend } from '../../router';
import type { ObjectRef } from './client';
import { createRuleRouter } from './rule-router';
import { openRouteStore } from './stores';
import type { RuleSelection, RuleShape } from './weighted-rule';

/** What the Kubernetes routers' configs have in common (see kubernetesRouterSchema). */
interface RuleRouterConfig<B> extends RuleSelection<B> {
  mode: 'api' | 'git';
  context?: string;
  path?: string;
  verifyTimeoutMs: number;
  requestTimeoutMs: number;
}

/** A router setting the weights of one rule of one kind of object, as registered under `shape.router`. */
export function ruleRouterBackend<B, C extends RuleRouterConfig<B>>(
  shape: RuleShape<B>,
  resource: Pick<ObjectRef, 'group' | 'version' | 'plural'>,
  /** Built on first use (see core's lazily): a run whose router is another kind never builds it. */
  configSchema: () => z.ZodType<C, unknown>,
  example: string,
): RouterBackend<C> {
  return {
    type: shape.router,
    get configSchema() {
      return configSchema();
    },
    example,
    create: (config, context) => {
      const ref = { ...resource, kind: shape.kind, namespace: config.namespace, name: config.name };
      return createRuleRouter(shape, config, openRouteStore(config, context, ref), config);
    },
  };
}
