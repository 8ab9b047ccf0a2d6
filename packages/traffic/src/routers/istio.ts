import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import type { RouterBackend } from '../router';
import { kubernetesRouterSchema } from './kubernetes/config';
import { ruleRouterBackend } from './kubernetes/backend';
import type { RuleShape } from './kubernetes/weighted-rule';

const backendSchema = lazily(() =>
  z.union([
    /** Shorthand: the DestinationRule subset. */
    z
      .string()
      .min(1)
      .transform((subset) => ({ subset })),
    z.strictObject({
      subset: z.string().min(1),
      /** The destination host; default the host of the rule's first destination. */
      host: z.string().min(1).optional(),
    }),
  ]),
);
type IstioBackend = { subset: string; host?: string };

export const istioRouterConfigSchema = lazily(() => kubernetesRouterSchema(backendSchema()));
export type IstioRouterConfig = z.infer<ReturnType<typeof istioRouterConfigSchema>>;

interface Destination {
  host?: unknown;
  subset?: unknown;
}

const destinationOf = (entry: Record<string, unknown>) => (entry.destination ?? {}) as Destination;

/** A VirtualService http route's `route` destinations, one DestinationRule subset per version, weighted. */
export const virtualServiceShape: RuleShape<IstioBackend> = {
  router: 'istio',
  kind: 'VirtualService',
  rulesKey: 'http',
  entriesKey: 'route',
  matches: (entry, backend) =>
    destinationOf(entry).subset === backend.subset &&
    (backend.host === undefined || destinationOf(entry).host === backend.host),
  newEntry: (backend, weight, entries) => {
    const host = backend.host ?? destinationOf(entries[0] ?? {}).host;
    return { destination: { host, subset: backend.subset }, weight };
  },
  // Istio: a destination without a weight takes all the traffic when it is alone, none otherwise.
  defaultWeight: (entries) => (entries.length === 1 ? 100 : 0),
  describe: (entry) =>
    `destination ${String(destinationOf(entry).host)} subset ${String(destinationOf(entry).subset)}`,
  // Istio copies `mirrorPercentage` of the route's requests to `mirror` (all of them when it is unset) and
  // drops the copies' answers.
  mirror: {
    keys: ['mirror', 'mirrorPercentage'],
    read: (rule) => {
      if (rule.mirror === undefined) return undefined;
      const share = (rule.mirrorPercentage as { value?: unknown } | undefined)?.value;
      return { entry: { destination: rule.mirror }, percent: typeof share === 'number' ? share : 100 };
    },
    fields: (backend, percent, entries) => ({
      mirror: { host: backend.host ?? destinationOf(entries[0] ?? {}).host, subset: backend.subset },
      mirrorPercentage: { value: percent },
    }),
  },
};

/** Routes by the weights of one http route of an Istio VirtualService, through the API or in a GitOps manifest. */
export const istioRouterBackend: RouterBackend<IstioRouterConfig> = ruleRouterBackend(
  virtualServiceShape,
  { group: 'networking.istio.io', version: 'v1', plural: 'virtualservices' },
  istioRouterConfigSchema,
  '{ namespace: prod, name: recsys, rule: 0, backends: { v1.4.0: v1-4-0, v1.5.0: v1-5-0 } }',
);
