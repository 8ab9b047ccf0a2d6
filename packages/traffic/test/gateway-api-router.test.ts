import { mkdtempSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesApiFake } from '@recsys-actions/testkit/kubernetes/api-server';
import {
  gatewayController,
  httpRoute,
  routeStatus,
  useKubernetesFake,
} from '@recsys-actions/testkit/kubernetes/fixtures';
import {
  allTrafficTo,
  canarySplit,
  createRouter,
  parseRouterConfig,
  SplitConflictError,
  SPLIT_ANNOTATION,
  type Router,
} from '../src/index';

const BACKENDS = {
  v1: { name: 'recsys-v1', port: 8080 },
  v2: { name: 'recsys-v2', port: 8080 },
  v3: { name: 'recsys-v3', port: 8080 },
};

let fake: KubernetesApiFake;
const workspace = mkdtempSync(join(tmpdir(), 'traffic-gateway-'));

function router(config: Record<string, unknown> = {}): Router {
  const parsed = parseRouterConfig('gateway-api', {
    namespace: 'prod',
    name: 'recsys',
    rule: 1,
    backends: BACKENDS,
    verifyTimeoutMs: 2_000,
    ...config,
  });
  return createRouter(parsed, { environment: 'production', workspace });
}

const live = () => fake.get('httproutes', 'prod', 'recsys');
const patches = () => fake.requests.filter((request) => request.method === 'PATCH');

const runningFake = useKubernetesFake();
beforeAll(() => {
  fake = runningFake();
});
beforeEach(() => {
  fake.reset();
  fake.put(httpRoute());
});

describe('gateway-api router (api mode, official client against the Kubernetes fake)', () => {
  it('reads the live weights, sets only the weights of its rule, and reads its split back', async () => {
    const route = router();
    await expect(route.observe()).resolves.toEqual(allTrafficTo('v1'));
    const before = live();
    const canary = canarySplit('v1', 'v2', 10, 'user');
    await expect(route.apply(canary, { expected: allTrafficTo('v1') })).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: true,
    });
    const after = live();
    const rules = (after?.spec as { rules: Record<string, unknown>[] }).rules;
    expect(rules[0]).toEqual((before?.spec as { rules: unknown[] }).rules[0]);
    expect(rules[1]).toEqual({
      filters: [
        {
          type: 'RequestHeaderModifier',
          requestHeaderModifier: { add: [{ name: 'x-route', value: 'main' }] },
        },
      ],
      backendRefs: [
        { name: 'recsys-v1', port: 8080, weight: 90 },
        { name: 'recsys-v2', port: 8080, weight: 10 },
      ],
    });
    expect(after?.metadata.annotations).toEqual({ [SPLIT_ANNOTATION]: JSON.stringify(canary) });
    await expect(route.observe()).resolves.toEqual(canary);
    await expect(route.verify(canary)).resolves.toBeUndefined();
    // Promotion leaves the old version named at weight 0, so its backendRef (and anything on it) stays.
    await route.apply(allTrafficTo('v2', 'user'), { expected: canary });
    expect((live()?.spec as { rules: { backendRefs: unknown[] }[] }).rules[1]?.backendRefs).toEqual([
      { name: 'recsys-v1', port: 8080, weight: 0 },
      { name: 'recsys-v2', port: 8080, weight: 100 },
    ]);
    await expect(route.observe()).resolves.toEqual(allTrafficTo('v2', 'user'));
  });

  it('changes nothing when the split is in force, and refuses one it did not expect', async () => {
    const route = router();
    await expect(route.apply(allTrafficTo('v1'), { expected: allTrafficTo('v1') })).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: false,
    });
    const attempt = route.apply(allTrafficTo('v3'), { expected: canarySplit('v1', 'v2', 10) });
    await expect(attempt).rejects.toThrow(SplitConflictError);
    await expect(attempt).rejects.toThrow('HTTPRoute prod/recsys changed while this step ran');
    expect(patches()).toEqual([]);
  });

  it('re-reads after a 409 and patches again when only something else moved', async () => {
    fake.inject({
      method: 'PATCH',
      meanwhile: (server) => server.setStatus('httproutes', 'prod', 'recsys', routeStatus(1)),
    });
    await expect(
      router().apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') }),
    ).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: true,
    });
    expect(patches().map((request) => request.status)).toEqual([409, 200]);
  });

  it('re-reads after a 409 and refuses when someone else moved the weights', async () => {
    fake.inject({
      method: 'PATCH',
      meanwhile: (server) => server.put(httpRoute({ 'recsys-v1': 50, 'recsys-v3': 50 })),
    });
    const attempt = router().apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') });
    await expect(attempt).rejects.toThrow('but it serves v1 50% / v3 50% (per request)');
    expect(patches().map((request) => request.status)).toEqual([409]);
    expect(live()?.spec).toEqual(httpRoute({ 'recsys-v1': 50, 'recsys-v3': 50 }).spec);
  });

  it('waits out 429s (Retry-After) and 500s', async () => {
    fake.inject({ method: 'GET', status: 429, retryAfter: 1 });
    fake.inject({ method: 'PATCH', status: 500 });
    const started = Date.now();
    await router().apply(canarySplit('v1', 'v2', 25), { expected: allTrafficTo('v1') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(fake.requests.map((request) => `${request.method} ${request.status}`)).toEqual([
      'GET 429',
      'GET 200',
      'PATCH 500',
      'PATCH 200',
    ]);
    await expect(router().observe()).resolves.toEqual(canarySplit('v1', 'v2', 25));
  });

  it('gives up on a request that hangs and retries it', async () => {
    fake.inject({ method: 'PATCH', delayMs: 1_500 });
    await expect(
      router({ requestTimeoutMs: 500 }).apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') }),
    ).resolves.toEqual({ previous: allTrafficTo('v1'), changed: true });
    // The hung patch landed late and the retry, planned on the same resourceVersion, was refused; or the
    // retry landed first and the late one was refused: either way the split is in force once.
    await expect(router().observe()).resolves.toEqual(canarySplit('v1', 'v2', 10));
    while (patches().some((request) => request.status === 0)) await sleep(50);
    expect(
      patches()
        .map((request) => request.status)
        .sort(),
    ).toEqual([200, 409]);
  });

  it('converges when a patch took effect but its answer was a 500', async () => {
    fake.inject({ method: 'PATCH', status: 500, afterActing: true });
    await expect(
      router().apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') }),
    ).resolves.toEqual({ previous: allTrafficTo('v1'), changed: true });
    expect(patches().map((request) => request.status)).toEqual([500, 409]);
    await expect(router().observe()).resolves.toEqual(canarySplit('v1', 'v2', 10));
  });

  it('verify waits for Accepted and ResolvedRefs on the new generation, and names a refusal', async () => {
    fake.put({ ...httpRoute(), status: routeStatus(1) });
    fake.onSpecChange = gatewayController(300);
    const canary = canarySplit('v1', 'v2', 10);
    await router().apply(canary, { expected: allTrafficTo('v1') });
    await expect(router().verify(canary)).resolves.toBeUndefined();
    expect(fake.requests.filter((request) => request.method === 'GET').length).toBeGreaterThan(2);

    fake.onSpecChange = gatewayController(0, 'False');
    await router().apply(allTrafficTo('v3'), { expected: canary });
    await expect(router({ verifyTimeoutMs: 300 }).verify(allTrafficTo('v3'))).rejects.toThrow(
      'HTTPRoute prod/recsys holds v3 100% (per request), but after 300 ms its controller has not taken it in: ' +
        'parent public reports ResolvedRefs False (BackendNotFound: Service recsys-v3 not found).',
    );
  });

  describe('one step, as few round trips as it takes', () => {
    const requestLog = () => fake.requests.map((request) => `${request.method} ${request.status}`);

    it("reads once and patches once: check and apply plan on observe's answer, verify takes the patch's", async () => {
      const route = router();
      const canary = canarySplit('v1', 'v2', 10);
      await expect(route.observe()).resolves.toEqual(allTrafficTo('v1'));
      await route.check(canary);
      await expect(route.apply(canary, { expected: allTrafficTo('v1') })).resolves.toEqual({
        previous: allTrafficTo('v1'),
        changed: true,
      });
      await expect(route.verify(canary)).resolves.toBeUndefined();
      expect(requestLog()).toEqual(['GET 200', 'PATCH 200']);
      await expect(router().observe()).resolves.toEqual(canary);
    });

    it('an answer gone stale before apply is refused (409), read again, and decided on what serves', async () => {
      const route = router();
      await route.observe();
      fake.put(httpRoute({ 'recsys-v1': 50, 'recsys-v3': 50 }));
      const attempt = route.apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') });
      await expect(attempt).rejects.toThrow('but it serves v1 50% / v3 50% (per request)');
      expect(requestLog()).toEqual(['GET 200', 'PATCH 409', 'GET 200']);
      expect(live()?.spec).toEqual(httpRoute({ 'recsys-v1': 50, 'recsys-v3': 50 }).spec);
    });

    it('an answer showing the split in force already is read again before apply calls it unchanged', async () => {
      const route = router();
      await route.observe();
      const canary = canarySplit('v1', 'v2', 10);
      await router().apply(canary, { expected: allTrafficTo('v1') });
      fake.reset();
      await expect(route.apply(allTrafficTo('v1'), { expected: allTrafficTo('v1') })).rejects.toThrow(
        SplitConflictError,
      );
      expect(requestLog()).toEqual(['GET 200']);
    });

    it("verify reads again while the patch's answer is not in force yet (its controller has not reported)", async () => {
      fake.put({ ...httpRoute(), status: routeStatus(1) });
      fake.onSpecChange = gatewayController(300);
      const route = router();
      const canary = canarySplit('v1', 'v2', 10);
      await route.observe();
      await route.apply(canary, { expected: allTrafficTo('v1') });
      await expect(route.verify(canary)).resolves.toBeUndefined();
      expect(requestLog().slice(0, 3)).toEqual(['GET 200', 'PATCH 200', 'GET 200']);
      expect(live()?.status).toEqual(routeStatus(2));
    });
  });

  describe('bad input: a clear error and nothing changed', () => {
    it('a version with no backend, before any request', async () => {
      const route = router({ backends: { v1: BACKENDS.v1 } });
      const attempt = route.apply(canarySplit('v1', 'v9', 10), { expected: allTrafficTo('v1') });
      await expect(attempt).rejects.toThrow(
        "for router 'gateway-api' has no backend for version 'v9' in backends (it has v1)",
      );
      await expect(route.check(canarySplit('v1', 'v9', 10))).rejects.toThrow("no backend for version 'v9'");
      expect(fake.requests).toEqual([]);
    });

    it('a resource that does not exist', async () => {
      await expect(router({ name: 'nope' }).observe()).rejects.toThrow(
        `HTTPRoute prod/nope does not exist at ${fake.url} (httproutes.gateway.networking.k8s.io "nope" not found); check namespace and name in router-config. Nothing was changed.`,
      );
    });

    it('a rule index out of range, or a rule name that no rule has', async () => {
      await expect(router({ rule: 2 }).check(allTrafficTo('v1'))).rejects.toThrow(
        "for router 'gateway-api' rule is 2, but HTTPRoute prod/recsys has 2 in spec.rules (counted from 0)",
      );
      await expect(router({ rule: 'main' }).observe()).rejects.toThrow(
        "rule names 'main', but no rule of HTTPRoute prod/recsys has that name (no rule has a name)",
      );
    });

    it('live weights that send traffic to a backend not in backends', async () => {
      fake.put(httpRoute({ 'recsys-v1': 90, 'recsys-shadow': 10 }));
      await expect(router().observe()).rejects.toThrow(
        'HTTPRoute prod/recsys sends traffic to backendRef recsys-shadow:8080, which is no version in router-config backends',
      );
    });

    it('a missing RBAC permission, naming the verb and the resource', async () => {
      const denied = await KubernetesApiFake.start();
      denied.put(httpRoute());
      denied.deny({ verb: 'patch', resource: 'httproutes' });
      process.env.KUBECONFIG = denied.kubeconfigPath;
      try {
        const attempt = router().apply(canarySplit('v1', 'v2', 10), { expected: allTrafficTo('v1') });
        await expect(attempt).rejects.toThrow(
          'The Kubernetes API refused to patch HTTPRoute prod/recsys (403: httproutes.gateway.networking.k8s.io "recsys" is forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "httproutes" in API group "gateway.networking.k8s.io" in the namespace "prod"). The credentials need \'patch\' on httproutes.gateway.networking.k8s.io \'recsys\' in namespace prod',
        );
        expect(denied.get('httproutes', 'prod', 'recsys')).toEqual(
          expect.objectContaining({ spec: httpRoute().spec }),
        );
      } finally {
        process.env.KUBECONFIG = fake.kubeconfigPath;
        await denied.close();
      }
    });

    it('a cluster that cannot be reached', async () => {
      const gone = await KubernetesApiFake.start();
      const path = gone.kubeconfigPath;
      const server = gone.url;
      await gone.close();
      process.env.KUBECONFIG = path;
      try {
        await expect(router().observe()).rejects.toThrow(
          `Cannot reach the Kubernetes API at ${server} to get HTTPRoute prod/recsys (ECONNREFUSED)`,
        );
      } finally {
        process.env.KUBECONFIG = fake.kubeconfigPath;
      }
    });
  });

  it('names its lock target and masks the kubeconfig token', () => {
    const route = router();
    expect(route.lockTarget).toBe(
      'kubernetes:current-context/httproutes.gateway.networking.k8s.io/prod/recsys',
    );
    expect(route.credentials).toEqual([fake.token]);
  });
});
