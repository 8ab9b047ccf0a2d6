import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTrafficTo, canarySplit, createRouter, parseRouterConfig, SplitConflictError } from '../src/index';

/** A manifest as a team keeps it for Argo CD: two documents, comments, flow style, quoted strings. */
const MANIFEST = `# The public route of the recommender.
apiVersion: v1
kind: Service
metadata: { name: recsys-v1, namespace: prod }
spec:
  ports: [{ port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: recsys
  namespace: prod
  labels: { team: "recsys" } # owned by the ranking team
spec:
  parentRefs:
    - name: public
  rules:
    # testers always reach the candidate
    - matches:
        - headers: [{ name: x-canary, value: always }]
      backendRefs:
        - { name: recsys-v2, port: 8080 }
    - filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            add: [{ name: x-route, value: main }]
      backendRefs:
        - name: recsys-v1 # the champion
          port: 8080
`;

function setup(manifest = MANIFEST, path = 'deploy/route.yaml') {
  const workspace = mkdtempSync(join(tmpdir(), 'traffic-kube-git-'));
  mkdirSync(join(workspace, 'deploy'));
  writeFileSync(join(workspace, path), manifest);
  const config = parseRouterConfig('gateway-api', {
    mode: 'git',
    path,
    namespace: 'prod',
    name: 'recsys',
    rule: 1,
    backends: { v1: { name: 'recsys-v1', port: 8080 }, v2: { name: 'recsys-v2', port: 8080 } },
  });
  const router = createRouter(config, { environment: 'production', workspace });
  return { router, read: () => readFileSync(join(workspace, path), 'utf8') };
}

describe('gateway-api router, git mode (the manifest in the repository)', () => {
  it('changes only the weights and the annotation, keeping comments and formatting', async () => {
    const { router, read } = setup();
    expect(router.workspaceFiles).toEqual(['deploy/route.yaml']);
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v1'));
    const canary = canarySplit('v1', 'v2', 10);
    await expect(router.apply(canary, { expected: allTrafficTo('v1') })).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: true,
    });
    const expected = MANIFEST.replace(
      '  labels: { team: "recsys" } # owned by the ranking team\n',
      '  labels: { team: "recsys" } # owned by the ranking team\n' +
        `  annotations:\n    recsys-actions/split: '${JSON.stringify(canary)}'\n`,
    ).replace(
      '        - name: recsys-v1 # the champion\n          port: 8080\n',
      '        - name: recsys-v1 # the champion\n          port: 8080\n          weight: 90\n' +
        '        - name: recsys-v2\n          port: 8080\n          weight: 10\n',
    );
    expect(read()).toBe(expected);
    await expect(router.observe()).resolves.toEqual(canary);
    await expect(router.verify(canary)).resolves.toBeUndefined();
    await expect(router.apply(canary, { expected: canary })).resolves.toEqual({
      previous: canary,
      changed: false,
    });
    expect(read()).toBe(expected);
  });

  it('patches a kustomize patch file that holds only the rules', async () => {
    const patch = `# kustomize patch: traffic weights only
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: recsys
spec:
  rules:
    - backendRefs: [{ name: recsys-v2, port: 8080 }]
    - backendRefs:
        - { name: recsys-v1, port: 8080, weight: 50 }
        - { name: recsys-v2, port: 8080, weight: 50 }
`;
    const { router, read } = setup(patch, 'deploy/weights-patch.yaml');
    await router.apply(allTrafficTo('v2'), { expected: canarySplit('v1', 'v2', 50) });
    expect(read()).toContain('# kustomize patch: traffic weights only\n');
    expect(read()).toContain(
      '        - { name: recsys-v1, port: 8080, weight: 0 }\n        - { name: recsys-v2, port: 8080, weight: 100 }\n',
    );
  });

  it('refuses, changing nothing, when the manifest no longer holds the expected split', async () => {
    const { router, read } = setup();
    const attempt = router.apply(allTrafficTo('v2'), { expected: canarySplit('v1', 'v2', 10) });
    await expect(attempt).rejects.toThrow(SplitConflictError);
    expect(read()).toBe(MANIFEST);
  });

  it('names the manifest when it lacks the route or leaves the workspace', async () => {
    const { router } = setup(MANIFEST.replace('name: recsys\n', 'name: other\n'));
    await expect(router.observe()).rejects.toThrow(
      'deploy/route.yaml holds no HTTPRoute named recsys in namespace prod; check router-config name, namespace and path.',
    );
    const outside = parseRouterConfig('gateway-api', {
      mode: 'git',
      path: '../outside.yaml',
      namespace: 'prod',
      name: 'recsys',
      backends: { v1: { name: 'recsys-v1', port: 8080 } },
    });
    const workspace = mkdtempSync(join(tmpdir(), 'traffic-kube-git-'));
    expect(() => createRouter(outside, { environment: 'production', workspace })).toThrow(
      "for router 'gateway-api' points outside the workspace ('../outside.yaml')",
    );
    expect(() =>
      parseRouterConfig('gateway-api', {
        mode: 'git',
        namespace: 'prod',
        name: 'recsys',
        backends: { v1: { name: 'a', port: 1 } },
      }),
    ).toThrow("for router 'gateway-api' is invalid at path: is required in git mode");
  });
});
