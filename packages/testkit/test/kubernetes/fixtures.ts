import type { KubeObject } from '../../src/kubernetes/api-server';

/** An HTTPRoute as a team writes it: a header-matched rule for testers, then the weighted default rule. */
export function httpRoute(weights: Record<string, number> = { 'recsys-v1': 100 }): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'recsys', namespace: 'prod' },
    spec: {
      parentRefs: [{ name: 'public' }],
      rules: [
        {
          matches: [{ headers: [{ name: 'x-canary', value: 'always' }] }],
          backendRefs: [{ name: 'recsys-v2', port: 8080 }],
        },
        {
          filters: [
            {
              type: 'RequestHeaderModifier',
              requestHeaderModifier: { add: [{ name: 'x-route', value: 'main' }] },
            },
          ],
          backendRefs: Object.entries(weights).map(([name, weight]) => ({ name, port: 8080, weight })),
        },
      ],
    },
  };
}
