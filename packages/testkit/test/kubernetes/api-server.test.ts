import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { KubernetesApiFake } from '../../src/kubernetes/api-server';
import { httpRoute } from '../../src/kubernetes/fixtures';

/** The API server's own message, from the Status body the client keeps as a string. */
async function statusMessage(attempt: Promise<unknown>): Promise<string> {
  const error = (await attempt.then(
    () => undefined,
    (failure: unknown) => failure,
  )) as { body?: string } | undefined;
  return (JSON.parse(error?.body ?? '{}') as { message?: string }).message ?? 'no Status body';
}

const ROUTE = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  namespace: 'prod',
  plural: 'httproutes',
  name: 'recsys',
};

describe('Kubernetes API fake, through the official client', () => {
  let fake: KubernetesApiFake;
  let api: CustomObjectsApi;
  beforeAll(async () => {
    fake = await KubernetesApiFake.start();
    const config = new KubeConfig();
    config.loadFromFile(fake.kubeconfigPath);
    api = config.makeApiClient(CustomObjectsApi);
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.put(httpRoute()));

  const patch = (body: unknown, strategy: string = PatchStrategy.JsonPatch) =>
    api.patchNamespacedCustomObject({ ...ROUTE, body }, setHeaderOptions('Content-Type', strategy));

  it('serves the object with a resourceVersion and moves it, and the generation, on a spec change', async () => {
    const read = await api.getNamespacedCustomObject(ROUTE);
    expect(read.spec.rules[1].backendRefs).toEqual([{ name: 'recsys-v1', port: 8080, weight: 100 }]);
    const patched = await patch([
      { op: 'replace', path: '/metadata/resourceVersion', value: read.metadata.resourceVersion },
      { op: 'replace', path: '/spec/rules/1/backendRefs/0/weight', value: 90 },
    ]);
    expect(patched.spec.rules[1].backendRefs[0].weight).toBe(90);
    expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(Number(read.metadata.resourceVersion));
    expect(patched.metadata.generation).toBe(2);
    expect(patched.spec.rules[0]).toEqual(read.spec.rules[0]);
  });

  it('answers 409 to a stale resourceVersion and changes nothing', async () => {
    const before = fake.get('httproutes', 'prod', 'recsys');
    const attempt = patch([
      { op: 'replace', path: '/metadata/resourceVersion', value: '1' },
      { op: 'replace', path: '/spec/rules/1/backendRefs/0/weight', value: 50 },
    ]);
    await expect(attempt).rejects.toMatchObject({ code: 409 });
    await expect(attempt).rejects.toThrow('the object has been modified');
    expect(fake.get('httproutes', 'prod', 'recsys')).toEqual(before);
  });

  it('rejects, with 422, a body the official HTTPRoute schema rejects', async () => {
    const attempt = patch([{ op: 'replace', path: '/spec/rules/1/backendRefs/0/weight', value: 'ninety' }]);
    await expect(attempt).rejects.toMatchObject({ code: 422 });
    await expect(attempt).rejects.toThrow('weight must be integer');
    const missing = patch({ spec: { rules: [{ backendRefs: [{ port: 8080 }] }] } }, PatchStrategy.MergePatch);
    expect(await statusMessage(missing)).toBe(
      'HTTPRoute.gateway.networking.k8s.io "recsys" is invalid: data/spec/rules/0/backendRefs/0 must have required property name',
    );
  });

  it('merges merge patches, applies server-side apply with a field manager, refuses strategic merge', async () => {
    const merged = await patch({ metadata: { labels: { team: 'recsys' } } }, PatchStrategy.MergePatch);
    expect(merged.metadata.labels).toEqual({ team: 'recsys' });
    expect(merged.metadata.generation).toBe(1);
    const applied = await api.patchNamespacedCustomObject(
      { ...ROUTE, body: { ...httpRoute({ 'recsys-v1': 50, 'recsys-v2': 50 }) }, fieldManager: 'recsys' },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(applied.spec.rules[1].backendRefs.map((ref: { weight: number }) => ref.weight)).toEqual([50, 50]);
    await expect(patch({ spec: {} }, PatchStrategy.StrategicMergePatch)).rejects.toMatchObject({ code: 415 });
  });

  it('answers 404 for a missing object, 403 for a denied verb, and injected 429s and 500s', async () => {
    expect(await statusMessage(api.getNamespacedCustomObject({ ...ROUTE, name: 'nope' }))).toBe(
      'httproutes.gateway.networking.k8s.io "nope" not found',
    );
    fake.deny({ verb: 'patch', resource: 'httproutes' });
    expect(await statusMessage(patch([]))).toBe(
      'httproutes.gateway.networking.k8s.io "recsys" is forbidden: User "system:serviceaccount:ci:deployer" ' +
        'cannot patch resource "httproutes" in API group "gateway.networking.k8s.io" in the namespace "prod"',
    );
    fake.inject({ status: 429, retryAfter: 2, method: 'GET' });
    fake.inject({ status: 500, method: 'GET' });
    await expect(api.getNamespacedCustomObject(ROUTE)).rejects.toMatchObject({
      code: 429,
      headers: expect.objectContaining({ 'retry-after': '2' }),
    });
    await expect(api.getNamespacedCustomObject(ROUTE)).rejects.toMatchObject({ code: 500 });
    await expect(api.getNamespacedCustomObject(ROUTE)).resolves.toMatchObject({ kind: 'HTTPRoute' });
  });
});
