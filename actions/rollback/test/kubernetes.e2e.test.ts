import { workspaceWith } from '@recsys-actions/testkit';
import { KubernetesApiFake } from '@recsys-actions/testkit/kubernetes/api-server';
import { httpRoute } from '@recsys-actions/testkit/kubernetes/fixtures';
import { expectSuccess, journalSummary, step } from '../../shift-traffic/test/helpers';

const ROUTER = {
  router: 'gateway-api',
  'router-config':
    '{ namespace: prod, name: recsys, rule: 1, backends: { v1: { name: recsys-v1, port: 8080 }, v2: { name: recsys-v2, port: 8080 } } }',
};

describe('rollback with the gateway-api router (built dist, runner emulation, Kubernetes fake)', () => {
  let fake: KubernetesApiFake;
  beforeAll(async () => {
    fake = await KubernetesApiFake.start();
  });
  afterAll(() => fake.close());

  it('sends all traffic back to the stable version through the HTTPRoute weights', async () => {
    fake.put(httpRoute());
    const workspace = workspaceWith({});
    const env = { KUBECONFIG: fake.kubeconfigPath };
    expectSuccess(
      await step(
        'shift-traffic',
        workspace,
        { ...ROUTER, 'stable-version': 'v1', 'canary-version': 'v2', 'canary-weight': 25 },
        { env },
      ),
    );
    const run = await step('rollback', workspace, { ...ROUTER, reason: 'errors up' }, { env });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ 'from-version': 'v2', 'to-version': 'v1' });
    const rules = (fake.get('httproutes', 'prod', 'recsys')?.spec as { rules: { backendRefs: unknown[] }[] })
      .rules;
    expect(rules[1]?.backendRefs).toEqual([
      { name: 'recsys-v1', port: 8080, weight: 100 },
      { name: 'recsys-v2', port: 8080, weight: 0 },
    ]);
    expect(journalSummary(workspace).slice(-2)).toEqual(['intent rollback v1 v1:100', 'outcome applied']);
  });
});
