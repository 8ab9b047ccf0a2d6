import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesApiFake } from '@recsys-actions/testkit/kubernetes/api-server';
import { useKubernetesFake, virtualService } from '@recsys-actions/testkit/kubernetes/fixtures';
import {
  allTrafficTo,
  canarySplit,
  createRouter,
  parseRouterConfig,
  shadowSplit,
  type Router,
} from '../src/index';

let fake: KubernetesApiFake;
const workspace = mkdtempSync(join(tmpdir(), 'traffic-istio-'));

function router(config: Record<string, unknown> = {}): Router {
  const parsed = parseRouterConfig('istio', {
    namespace: 'prod',
    name: 'recsys',
    rule: 'main',
    backends: { 'v1.4.0': 'v1', 'v1.5.0': { subset: 'v2' } },
    ...config,
  });
  return createRouter(parsed, { environment: 'production', workspace });
}

const live = () => fake.get('virtualservices', 'prod', 'recsys');
type Http = { route: unknown[] }[];

const runningFake = useKubernetesFake();
beforeAll(() => {
  fake = runningFake();
});
beforeEach(() => {
  fake.reset();
  fake.put(virtualService());
});

describe('istio router (api mode, official client against the Kubernetes fake)', () => {
  it('weights the destinations of the named http route by subset, leaving the other routes alone', async () => {
    const route = router();
    // A lone destination without a weight takes all the traffic.
    fake.put(virtualService({ v1: 100 }));
    await expect(route.observe()).resolves.toEqual(allTrafficTo('v1.4.0'));
    const canary = canarySplit('v1.4.0', 'v1.5.0', 20);
    await route.apply(canary, { expected: allTrafficTo('v1.4.0') });
    const http = (live()?.spec as { http: Http }).http;
    expect(http[0]).toEqual((virtualService().spec as { http: Http }).http[0]);
    expect(http[1]).toEqual({
      name: 'main',
      headers: { request: { set: { 'x-route': 'main' } } },
      route: [
        { destination: { host: 'recsys.prod.svc.cluster.local', subset: 'v1' }, weight: 80 },
        { destination: { host: 'recsys.prod.svc.cluster.local', subset: 'v2' }, weight: 20 },
      ],
    });
    await expect(route.observe()).resolves.toEqual(canary);
    await expect(route.verify(canary)).resolves.toBeUndefined();
  });

  it('refuses live weights that do not add up to whole percentages, changing nothing', async () => {
    fake.put(virtualService({ v1: 2, v2: 1 }));
    await expect(router().observe()).rejects.toThrow(
      'VirtualService prod/recsys weights 2/1 are not whole percentages; set them to add up to 100',
    );
  });

  it('names the rules it has when the named rule is missing', async () => {
    await expect(router({ rule: 'default' }).observe()).rejects.toThrow(
      "for router 'istio' rule names 'default', but no rule of VirtualService prod/recsys has that name (rules are named testers, main)",
    );
  });

  it('shadows with mirror and mirrorPercentage on the route (checked by the Istio schema), and ends it', async () => {
    const route = router();
    fake.put(virtualService({ v1: 100 }));
    expect(route.canMirror).toBe(true);
    const shadow = shadowSplit(allTrafficTo('v1.4.0'), 'v1.5.0', 30);
    await expect(route.apply(shadow, { expected: allTrafficTo('v1.4.0') })).resolves.toEqual({
      previous: allTrafficTo('v1.4.0'),
      changed: true,
    });
    const main = () => (live()?.spec as { http: Record<string, unknown>[] }).http[1];
    expect(main()).toMatchObject({
      route: [{ destination: { host: 'recsys.prod.svc.cluster.local', subset: 'v1' }, weight: 100 }],
      mirror: { host: 'recsys.prod.svc.cluster.local', subset: 'v2' },
      mirrorPercentage: { value: 30 },
    });
    await expect(route.observe()).resolves.toEqual(shadow);
    await expect(route.verify(shadow)).resolves.toBeUndefined();
    await route.apply(allTrafficTo('v1.4.0'), { expected: shadow });
    expect(main()).not.toHaveProperty('mirror');
    expect(main()).not.toHaveProperty('mirrorPercentage');
    await expect(route.observe()).resolves.toEqual(allTrafficTo('v1.4.0'));
  });

  it('reads a hand-made mirror without a percentage as a 100 % shadow, and refuses one to an unknown subset', async () => {
    const hand = virtualService({ v1: 100 });
    const http = (hand.spec as { http: Record<string, unknown>[] }).http;
    http[1] = { ...http[1], mirror: { host: 'recsys.prod.svc.cluster.local', subset: 'v2' } };
    fake.put(hand);
    await expect(router().observe()).resolves.toEqual(shadowSplit(allTrafficTo('v1.4.0'), 'v1.5.0', 100));
    http[1] = { ...http[1], mirror: { host: 'recsys.prod.svc.cluster.local', subset: 'v9' } };
    fake.put(hand);
    await expect(router().observe()).rejects.toThrow(
      'VirtualService prod/recsys mirrors 100% to destination recsys.prod.svc.cluster.local subset v9, which is no version in router-config backends',
    );
  });

  it('locks on the VirtualService', () => {
    expect(router().lockTarget).toBe(
      'kubernetes:current-context/virtualservices.networking.istio.io/prod/recsys',
    );
  });
});
