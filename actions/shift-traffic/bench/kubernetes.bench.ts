/**
 * How long a whole shift-traffic step takes on the gateway-api router through the API, as a workflow sees it:
 * from spawning the built dist under the runner emulation until it exits, the HTTPRoute patched and read back
 * (verified). Median of 15 runs, measured in the same run against the floor of doing it by hand with the same
 * official client: a bare Node process that loads the kubeconfig, reads the HTTPRoute and JSON-patches its
 * weights, nothing else (no inputs, lock, journal or report). Both talk to testkit's Kubernetes fake over TLS.
 * Budget (issue 15): 500 ms per step.
 *
 * Run: pnpm exec tsx actions/shift-traffic/bench/kubernetes.bench.ts
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, runnerNodeBinary } from '@recsys-actions/testkit';
import { KubernetesApiFake } from '@recsys-actions/testkit/kubernetes/api-server';
import { httpRoute } from '@recsys-actions/testkit/kubernetes/fixtures';
import { runStep, timingRow } from './nginx-site';

const RUNS = 15;
const BUDGET_MS = 500;
const run = promisify(execFile);

const fake = await KubernetesApiFake.start();
fake.put(httpRoute({ 'recsys-v1': 100, 'recsys-v2': 0 }));
const workspace = mkdtempSync(join(tmpdir(), 'kube-bench-'));
const env = { KUBECONFIG: fake.kubeconfigPath };
const router = {
  environment: 'bench',
  router: 'gateway-api',
  'router-config':
    '{ namespace: prod, name: recsys, rule: 1, backends: { v1: { name: recsys-v1, port: 8080 }, v2: { name: recsys-v2, port: 8080 } } }',
};

// The by-hand floor, as an ES module beside the traffic package so it resolves the same client.
const byHand = join(repoRoot(), 'packages', 'traffic', `.bench-by-hand-${process.pid}.mjs`);
writeFileSync(
  byHand,
  `import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
const config = new KubeConfig();
config.loadFromDefault();
const api = config.makeApiClient(CustomObjectsApi);
const ref = { group: 'gateway.networking.k8s.io', version: 'v1', namespace: 'prod', plural: 'httproutes', name: 'recsys' };
const route = await api.getNamespacedCustomObject(ref);
const [stable, canary] = process.argv.slice(2).map(Number);
await api.patchNamespacedCustomObject({ ...ref, body: [
  { op: 'replace', path: '/metadata/resourceVersion', value: route.metadata.resourceVersion },
  { op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: stable },
  { op: 'add', path: '/spec/rules/1/backendRefs/1/weight', value: canary },
] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
`,
);

const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};
const stepTimes: number[] = [];
const handTimes: number[] = [];
try {
  let live = 'v1';
  // Interleaved, so both see the same machine load.
  for (let round = 0; round < RUNS; round++) {
    const next = live === 'v1' ? 'v2' : 'v1';
    const inputs = { ...router, 'stable-version': live, 'canary-version': next, 'canary-weight': '100' };
    stepTimes.push(await timed(() => runStep('shift-traffic', workspace, inputs, { env })));
    handTimes.push(
      await timed(() =>
        run(runnerNodeBinary(), [byHand, next === 'v1' ? '100' : '0', next === 'v1' ? '0' : '100'], {
          env: { ...process.env, ...env },
        }),
      ),
    );
    // The by-hand patch leaves the annotation behind; the step reads the weights, which agree with it.
    live = next;
  }
  console.log(`Shift on the gateway-api router (api mode), process start to verified; median of ${RUNS}:`);
  const peer = [...handTimes].sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? 1;
  console.log(timingRow('shift-traffic (promote to 100 %)', stepTimes, peer, BUDGET_MS));
  console.log(timingRow('by hand: the official client, get + patch', handTimes, peer, BUDGET_MS));
} finally {
  const { rmSync } = await import('node:fs');
  rmSync(byHand, { force: true });
  await fake.close();
}
