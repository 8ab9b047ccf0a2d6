import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectCleanFailure, workspaceWith } from '@recsys-actions/testkit';
import { KubernetesApiFake } from '@recsys-actions/testkit/kubernetes/api-server';
import {
  gatewayController,
  httpRoute,
  routeStatus,
  virtualService,
} from '@recsys-actions/testkit/kubernetes/fixtures';
import { stringify } from 'yaml';
import { expectSuccess, journalSummary, step } from './helpers';

const GATEWAY_CONFIG =
  '{ namespace: prod, name: recsys, rule: 1, backends: { v1: { name: recsys-v1, port: 8080 }, v2: { name: recsys-v2, port: 8080 } } }';
const ISTIO_CONFIG = '{ namespace: prod, name: recsys, rule: main, backends: { v1: v1, v2: v2 } }';

let fake: KubernetesApiFake;
beforeAll(async () => {
  fake = await KubernetesApiFake.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const canaryStep = (workspace: string, router: Record<string, string>, weight: number) =>
  step(
    'shift-traffic',
    workspace,
    { ...router, 'stable-version': 'v1', 'canary-version': 'v2', 'canary-weight': weight },
    { env: { KUBECONFIG: fake.kubeconfigPath } },
  );

const routeWeights = () =>
  (
    fake.get('httproutes', 'prod', 'recsys')?.spec as { rules: { backendRefs: { weight?: number }[] }[] }
  ).rules[1]?.backendRefs.map((ref) => ref.weight);

describe('shift-traffic with the Kubernetes routers (built dist, runner emulation, Kubernetes fake)', () => {
  it('gateway-api, api mode: shifts the HTTPRoute weights once its controller accepts them', async () => {
    fake.put({ ...httpRoute(), status: routeStatus(1) });
    fake.onSpecChange = gatewayController(200);
    const workspace = workspaceWith({});
    const router = { router: 'gateway-api', 'router-config': GATEWAY_CONFIG };
    const canary = await canaryStep(workspace, router, 10);
    expectSuccess(canary);
    expect(routeWeights()).toEqual([90, 10]);
    expect(canary.outputs['stable-version']).toBe('v1');
    // The kubeconfig's token is masked before anything runs, and printed nowhere else.
    expect(canary.stdout.split(fake.token).length - 1).toBe(1);
    expect(canary.stdout).toContain(`::add-mask::${fake.token}`);
    expectSuccess(await canaryStep(workspace, router, 100));
    expect(routeWeights()).toEqual([0, 100]);
    expect(journalSummary(workspace)).toEqual([
      'intent shift v2 v1:90/v2:10',
      'outcome applied',
      'intent shift v2 v2:100',
      'outcome applied',
    ]);
  });

  it('istio, api mode: sets the subset weights of the named route', async () => {
    fake.put(virtualService());
    const run = await canaryStep(workspaceWith({}), { router: 'istio', 'router-config': ISTIO_CONFIG }, 25);
    expectSuccess(run);
    const http = (fake.get('virtualservices', 'prod', 'recsys')?.spec as { http: { route: unknown[] }[] })
      .http;
    expect(http[1]?.route).toEqual([
      { destination: { host: 'recsys.prod.svc.cluster.local', subset: 'v1' }, weight: 75 },
      { destination: { host: 'recsys.prod.svc.cluster.local', subset: 'v2' }, weight: 25 },
    ]);
  });

  it('istio, git mode: patches the manifest in the workspace and leaves the cluster alone', async () => {
    const manifest = `# synced by Argo CD\n${stringify(virtualService())}`;
    const workspace = workspaceWith({ 'deploy/virtualservice.yaml': manifest });
    const run = await canaryStep(
      workspace,
      {
        router: 'istio',
        'router-config': ISTIO_CONFIG.replace('{ ', '{ mode: git, path: deploy/virtualservice.yaml, '),
      },
      10,
    );
    expectSuccess(run);
    const written = readFileSync(join(workspace, 'deploy', 'virtualservice.yaml'), 'utf8');
    expect(written.startsWith('# synced by Argo CD\n')).toBe(true);
    expect(written).toContain('weight: 90');
    expect(written).toContain('weight: 10');
    expect(fake.requests).toEqual([]);
  });

  const shadowStep = (workspace: string, router: Record<string, string>) =>
    step(
      'shift-traffic',
      workspace,
      { ...router, mode: 'shadow', 'shadow-percent': 20, 'stable-version': 'v1', 'canary-version': 'v2' },
      { env: { KUBECONFIG: fake.kubeconfigPath } },
    );
  const mainRoute = () =>
    (fake.get('virtualservices', 'prod', 'recsys')?.spec as { http: Record<string, unknown>[] }).http[1];

  it('istio, api mode: a shadow mirrors 20 % to v2 while v1 answers all; a rollback of v2 ends it', async () => {
    fake.put(virtualService());
    const workspace = workspaceWith({});
    const router = { router: 'istio', 'router-config': ISTIO_CONFIG };
    const shadow = await shadowStep(workspace, router);
    expectSuccess(shadow);
    expect(mainRoute()).toMatchObject({
      route: [{ destination: { host: 'recsys.prod.svc.cluster.local', subset: 'v1' }, weight: 100 }],
      mirror: { host: 'recsys.prod.svc.cluster.local', subset: 'v2' },
      mirrorPercentage: { value: 20 },
      // What the router does not own on the route is left as it was.
      headers: { request: { set: { 'x-route': 'main' } } },
    });
    const rollback = await step(
      'rollback',
      workspace,
      { ...router, 'from-version': 'v2', reason: 'shadow answers diverge' },
      { env: { KUBECONFIG: fake.kubeconfigPath } },
    );
    expectSuccess(rollback);
    expect(rollback.outputs['ended-shadow']).toBe('v2');
    expect(mainRoute()).not.toHaveProperty('mirror');
    expect(mainRoute()).not.toHaveProperty('mirrorPercentage');
    expect(mainRoute()?.route).toEqual([
      { destination: { host: 'recsys.prod.svc.cluster.local', subset: 'v1' }, weight: 100 },
    ]);
  });

  it('istio, git mode: a shadow writes the mirror into the manifest, and the next shift takes it out again', async () => {
    const manifest = `# synced by Argo CD\n${stringify(virtualService())}`;
    const workspace = workspaceWith({ 'deploy/virtualservice.yaml': manifest });
    const router = {
      router: 'istio',
      'router-config': ISTIO_CONFIG.replace('{ ', '{ mode: git, path: deploy/virtualservice.yaml, '),
    };
    const read = () => readFileSync(join(workspace, 'deploy', 'virtualservice.yaml'), 'utf8');
    expectSuccess(await shadowStep(workspace, router));
    expect(read()).toContain('mirrorPercentage:');
    expect(read()).toMatch(/mirror:\n\s+host: recsys\.prod\.svc\.cluster\.local\n\s+subset: v2/);
    expectSuccess(await canaryStep(workspace, router, 10));
    const written = read();
    expect(written.startsWith('# synced by Argo CD\n')).toBe(true);
    expect(written).not.toContain('mirror');
    expect(written).toContain('weight: 90');
    expect(fake.requests).toEqual([]);
  });

  it('a missing permission fails with one error naming the verb and the resource, changing nothing', async () => {
    fake.put(httpRoute());
    fake.deny({ verb: 'patch', resource: 'httproutes' });
    const workspace = workspaceWith({});
    const run = await canaryStep(workspace, { router: 'gateway-api', 'router-config': GATEWAY_CONFIG }, 10);
    expect(expectCleanFailure(run)).toContain(
      'The Kubernetes API refused to patch HTTPRoute prod/recsys (403: httproutes.gateway.networking.k8s.io "recsys" is forbidden',
    );
    expect(routeWeights()).toEqual([100]);
  });

  it('a version with no backend is named as a router-config fault before anything is read', async () => {
    fake.put(httpRoute());
    const run = await step(
      'shift-traffic',
      workspaceWith({}),
      { router: 'gateway-api', 'router-config': GATEWAY_CONFIG, 'canary-version': 'v3', 'canary-weight': 10 },
      { env: { KUBECONFIG: fake.kubeconfigPath } },
    );
    expect(expectCleanFailure(run)).toBe(
      "router-config for router 'gateway-api' has no backend for version 'v3' in backends (it has v1, v2)",
    );
    expect(fake.requests.filter((request) => request.method === 'PATCH')).toEqual([]);
  });

  it('a stable-version the live weights do not match is refused before any patch', async () => {
    fake.put(httpRoute({ 'recsys-v2': 100 }));
    const run = await canaryStep(
      workspaceWith({}),
      { router: 'gateway-api', 'router-config': GATEWAY_CONFIG },
      10,
    );
    expect(expectCleanFailure(run)).toContain('v2');
    expect(fake.requests.filter((request) => request.method === 'PATCH')).toEqual([]);
  });
});
