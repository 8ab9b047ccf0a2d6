import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import { KubernetesApiFake } from '@recsys-actions/testkit/kubernetes/api-server';
import { gatewayController, httpRoute } from '@recsys-actions/testkit/kubernetes/fixtures';
import { runWorkflow, summarize } from '../../tools/workflow-runner/src/index';
import { CHECKS, originWithStableSplit, TWO_STEP_RELEASE } from './gitops-origin';

// canary-release run whole on the gateway-api router against testkit's Kubernetes fake, its gate reading the
// healthy recording. The regressing run gets the kubeconfig as the workflow's `kubeconfig` secret, as on a hosted
// runner; the healthy one finds it in the runner's HOME (~/.kube/config), as on a self-hosted runner (the local
// runner passes HOME, not KUBECONFIG, to the steps). Needs the built dists.

const ROUTER = {
  router: 'gateway-api',
  'router-config':
    '{ namespace: prod, name: recsys, rule: 1, backends: { v1: { name: recsys-v1, port: 8080 }, v2: { name: recsys-v2, port: 8080 } } }',
};

describe('canary-release run whole on the gateway-api router (Kubernetes fake)', () => {
  let fake: KubernetesApiFake;
  let fakeHome: string;
  const home = process.env.HOME;
  beforeAll(async () => {
    fake = await KubernetesApiFake.start();
    fakeHome = mkdtempSync(join(tmpdir(), 'runner-home-'));
    process.env.HOME = fakeHome;
  });
  afterAll(async () => {
    process.env.HOME = home;
    await fake.close();
  });

  const release = async (recording: string, kubeconfig: 'secret' | 'home') => {
    if (kubeconfig === 'home') {
      mkdirSync(join(fakeHome, '.kube'), { recursive: true });
      copyFileSync(fake.kubeconfigPath, join(fakeHome, '.kube', 'config'));
    }
    fake.reset();
    fake.put(httpRoute({ 'recsys-v1': 100, 'recsys-v2': 0 }));
    fake.onSpecChange = gatewayController(100);
    const log: string[] = [];
    const result = await runWorkflow(join(repoRoot(), '.github/workflows/canary-release.yml'), {
      event: 'workflow_call',
      repo: originWithStableSplit(),
      inputs: {
        ...TWO_STEP_RELEASE,
        ...ROUTER,
        source: 'file',
        'source-config': `path: recordings/${recording}.jsonl`,
        checks: CHECKS,
      },
      ...(kubeconfig === 'secret'
        ? { secrets: { kubeconfig: readFileSync(fake.kubeconfigPath, 'utf8') } }
        : {}),
      log: (line) => log.push(line),
    });
    // The weights of the weighted rule after each accepted patch, in order.
    const weights = fake.requests
      .filter((request) => request.method === 'PATCH' && request.status === 200)
      .map((request) => {
        const body = request.body as { spec: { rules: { backendRefs: { weight: number }[] }[] } };
        return body.spec.rules[1]?.backendRefs.map((ref) => ref.weight);
      });
    return { result, log, weights };
  };

  it('rolls back a regressing canary (kubeconfig from the secret): the HTTPRoute ends with all traffic on v1', async () => {
    const { result, log, weights } = await release('regressing', 'secret');
    // The secret's token reached the client and nothing printed it.
    expect(log.join('\n')).not.toContain(fake.token);
    expect({
      summary: summarize(result),
      log: result.outputs.verdict === 'rolled-back' ? [] : log,
    }).toMatchObject({
      summary: { outputs: { verdict: 'rolled-back' } },
      log: [],
    });
    expect(weights).toEqual([
      [90, 10],
      [100, 0],
    ]);
  }, 240_000);

  it('moves the HTTPRoute to 10 %, then 100 %, each accepted by the controller, and promotes v2', async () => {
    const { result, log, weights } = await release('healthy', 'home');
    expect({ summary: summarize(result), log: result.conclusion === 'success' ? [] : log }).toMatchObject({
      summary: { conclusion: 'success', outputs: { verdict: 'promoted' } },
      log: [],
    });
    expect(weights).toEqual([
      [90, 10],
      [0, 100],
    ]);
  }, 240_000);
});
