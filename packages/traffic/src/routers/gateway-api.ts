import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import type { RouterBackend } from '../router';
import { kubernetesRouterSchema } from './kubernetes/config';
import { ruleRouterBackend } from './kubernetes/backend';
import type { RuleShape } from './kubernetes/weighted-rule';

const backendSchema = lazily(() =>
  z.strictObject({
    /** The Service (or other backend kind) serving this version. */
    name: z.string().min(1),
    port: z.number().int().min(1).max(65_535),
    /** Only for a backend in another namespace (needs a ReferenceGrant there). */
    namespace: z.string().min(1).optional(),
  }),
);
type GatewayBackend = z.infer<ReturnType<typeof backendSchema>>;

export const gatewayApiRouterConfigSchema = lazily(() => kubernetesRouterSchema(backendSchema()));
export type GatewayApiRouterConfig = z.infer<ReturnType<typeof gatewayApiRouterConfigSchema>>;

/** An HTTPRoute rule's `backendRefs`, one per version, weighted. */
export const httpRouteShape: RuleShape<GatewayBackend> = {
  router: 'gateway-api',
  kind: 'HTTPRoute',
  rulesKey: 'rules',
  entriesKey: 'backendRefs',
  matches: (entry, backend) =>
    entry.name === backend.name &&
    (entry.port === undefined || entry.port === backend.port) &&
    (entry.namespace ?? undefined) === backend.namespace,
  newEntry: (backend, weight) => ({ ...backend, weight }),
  // Gateway API: a backendRef without a weight has weight 1.
  defaultWeight: () => 1,
  describe: (entry) => `backendRef ${String(entry.name)}:${String(entry.port ?? '')}`,
};

/** Routes by the weights of one rule of a Gateway API HTTPRoute, through the API or in a GitOps manifest. */
export const gatewayApiRouterBackend: RouterBackend<GatewayApiRouterConfig> = ruleRouterBackend(
  httpRouteShape,
  { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' },
  gatewayApiRouterConfigSchema,
  '{ namespace: prod, name: recsys, rule: 0, backends: { v1.4.0: { name: recsys-v1-4-0, port: 8080 }, v1.5.0: { name: recsys-v1-5-0, port: 8080 } } }',
);
