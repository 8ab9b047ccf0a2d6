import { KubernetesApiFake, type KubeObject } from './api-server';

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

/** A VirtualService with a header-matched route for testers, then the weighted default route. */
export function virtualService(weights: Record<string, number> = { v1: 100 }): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'recsys', namespace: 'prod' },
    spec: {
      hosts: ['recsys.prod.svc.cluster.local'],
      http: [
        {
          name: 'testers',
          match: [{ headers: { 'x-canary': { exact: 'always' } } }],
          route: [{ destination: { host: 'recsys.prod.svc.cluster.local', subset: 'v2' } }],
        },
        {
          name: 'main',
          headers: { request: { set: { 'x-route': 'main' } } },
          route: Object.entries(weights).map(([subset, weight]) => ({
            destination: { host: 'recsys.prod.svc.cluster.local', subset },
            weight,
          })),
        },
      ],
    },
  };
}

/** Gateway API status as a controller writes it once it took generation `generation` in. */
export function routeStatus(generation: number, resolved: 'True' | 'False' = 'True') {
  const condition = (type: string, status: string, reason: string) => ({
    type,
    status,
    reason,
    message: status === 'True' ? '' : 'Service recsys-v3 not found',
    observedGeneration: generation,
    lastTransitionTime: '2026-03-01T09:00:00Z',
  });
  return {
    parents: [
      {
        parentRef: { name: 'public' },
        controllerName: 'example.com/gateway-controller',
        conditions: [
          condition('Accepted', 'True', 'Accepted'),
          condition('ResolvedRefs', resolved, resolved === 'True' ? 'ResolvedRefs' : 'BackendNotFound'),
        ],
      },
    ],
  };
}

/**
 * A Gateway API controller for `fake.onSpecChange`: `delayMs` after each spec change it reports on the new
 * generation, with ResolvedRefs `resolved`.
 */
export function gatewayController(delayMs: number, resolved: 'True' | 'False' = 'True') {
  return (
    object: KubeObject,
    fake: { setStatus(...args: [string, string, string, unknown]): void },
  ): void => {
    const report = () =>
      fake.setStatus(
        'httproutes',
        object.metadata.namespace ?? 'default',
        object.metadata.name,
        routeStatus(object.metadata.generation ?? 0, resolved),
      );
    if (delayMs === 0) report();
    else setTimeout(report, delayMs);
  };
}

/**
 * Starts a fake for the enclosing describe block and points KUBECONFIG at it (jest hooks), so the official
 * client in the test process finds it; returns a getter for the running fake.
 */
export function useKubernetesFake(): () => KubernetesApiFake {
  let fake: KubernetesApiFake | undefined;
  beforeAll(async () => {
    fake = await KubernetesApiFake.start();
    process.env.KUBECONFIG = fake.kubeconfigPath;
  });
  afterAll(async () => {
    delete process.env.KUBECONFIG;
    await fake?.close();
  });
  return () => {
    if (!fake) throw new Error('the Kubernetes fake is started in beforeAll');
    return fake;
  };
}
