import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expectCleanFailure, workspaceWith } from '@recsys-actions/testkit';
import { expectSuccess, journalSummary, readTrafficSplit, snapshot, step, trafficFile } from './helpers';

/**
 * Stands in for the deployment: `/<version>/healthz` reaches one version directly, `/router/healthz` goes
 * through the router. Each answers with the status a test sets; unknown paths are 404.
 */
async function startFleet(statuses: ReadonlyMap<string, number>) {
  const server = createServer((request, response) => {
    request.resume();
    const status = statuses.get(request.url?.split('/')[1] ?? '') ?? 404;
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(String(status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    target: `${base}/{version}/healthz`,
    router: `${base}/router/healthz`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A bash script writing the RECSYS_* variables it sees to `file`, as JSON. */
const dumpEnvironment = (file: string) =>
  `node -e 'console.log(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("RECSYS_")))))' > ${file}`;

describe('shift-traffic blue-green (built dist, runner emulation)', () => {
  const statuses = new Map<string, number>();
  let fleet: Awaited<ReturnType<typeof startFleet>>;
  beforeAll(async () => (fleet = await startFleet(statuses)));
  afterAll(() => fleet.close());
  const answer = (byPath: Record<string, number>) => {
    statuses.clear();
    for (const [path, status] of Object.entries(byPath)) statuses.set(path, status);
  };

  const blueGreen = (workspace: string, inputs: Record<string, string> = {}) =>
    step(
      'shift-traffic',
      workspace,
      {
        'canary-version': 'v2',
        'canary-weight': 100,
        'target-health-url': fleet.target,
        'health-url': fleet.router,
        'health-timeout': '2s',
        ledger: 'file',
        ...inputs,
      },
      { token: 'ghs_not_for_scripts' },
    );

  it('deploys, checks the target and switches it to all traffic; the scripts get RECSYS_* intact and no INPUT_*', async () => {
    answer({ v2: 200, router: 200 });
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const run = await blueGreen(workspace, {
      'deploy-command': dumpEnvironment('deployed.json'),
      // Free text reaches the script as a value: a command substitution in it is never run.
      'model-path': 'models/$(touch injected).onnx',
      'smoke-command': 'test -z "${INPUT_TOKEN:-}" && test "$RECSYS_VERSION" = v2',
    });
    expectSuccess(run);
    expect(readTrafficSplit(workspace)).toEqual({ v2: 100 });
    const split = { targets: [{ version: 'v2', weight: 100 }], stickiness: 'request' };
    expect(JSON.parse(readFileSync(join(workspace, 'deployed.json'), 'utf8'))).toEqual({
      RECSYS_ENVIRONMENT: 'production',
      RECSYS_VERSION: 'v2',
      RECSYS_STABLE_VERSION: 'v1',
      RECSYS_MODEL_PATH: 'models/$(touch injected).onnx',
      RECSYS_SPLIT: JSON.stringify(split),
    });
    expect(existsSync(join(workspace, 'injected'))).toBe(false);
    expect(run.stdout).toMatch(/::group::deploy-command \(v2\)\n[\s\S]*?::endgroup::/);
    expect(run.stdout).toContain('::group::smoke-command (v2)');
    expect(JSON.parse(run.outputs.report ?? '')).toMatchObject({
      verdict: 'shifted',
      checks: [
        { name: 'deploy-command', status: 'pass' },
        { name: 'target health', status: 'pass' },
        { name: 'smoke-command', status: 'pass' },
        { name: 'health after', status: 'pass' },
      ],
    });
    expect(journalSummary(workspace)).toEqual(['intent shift v2 v2:100', 'outcome applied']);
  });

  it('refuses a target whose smoke-command fails: traffic unchanged and nothing journaled', async () => {
    answer({ v2: 200, router: 200 });
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const before = snapshot(workspace);
    const run = await blueGreen(workspace, {
      'smoke-command': 'echo "no recommendations from $RECSYS_VERSION"; exit 3',
    });
    expect(expectCleanFailure(run)).toBe(
      'The smoke-command exited with code 3. Nothing was changed: production still routes v1 100% (per request).',
    );
    expect(run.stdout).toContain('no recommendations from v2');
    expect(run.outputs['switch-started']).toBeUndefined();
    expect(snapshot(workspace)).toEqual(before);
  });

  // The last answer is the status, or a timeout when the last poll started just before the deadline.
  it('refuses a target that does not answer target-health-url, before any traffic moves', async () => {
    answer({ v2: 503, router: 200 });
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const before = snapshot(workspace);
    const run = await blueGreen(workspace);
    expect(expectCleanFailure(run)).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/v2\/healthz did not answer 2xx within 2000 ms \(last answer: [^)]+\)\. Nothing was changed/,
    );
    expect(snapshot(workspace)).toEqual(before);
  });

  it('restores the previous version when health-url fails after the switch, and says so', async () => {
    answer({ v2: 200, router: 502 });
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const run = await blueGreen(workspace);
    expect(expectCleanFailure(run)).toMatch(
      /router\/healthz did not answer 2xx within 2000 ms \(last answer: [^)]+\) after the switch, so traffic was restored to v1 100% \(per request\) and v2 is recorded as rolled back\.$/,
    );
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
    expect(run.outputs['switch-started']).toBe('true');
    expect(journalSummary(workspace)).toEqual([
      'intent shift v2 v2:100',
      'outcome applied',
      'intent rollback v1 v1:100',
      'outcome applied',
    ]);
    expect(JSON.parse(run.outputs.split ?? '')).toEqual({
      targets: [{ version: 'v1', weight: 100 }],
      stickiness: 'request',
    });
    expect(JSON.parse(run.outputs.report ?? '')).toMatchObject({
      verdict: 'rolled-back',
      title: expect.stringContaining('so traffic was restored to v1 100%'),
      checks: [
        { name: 'target health', status: 'pass' },
        { name: 'health after', status: 'fail' },
      ],
      details: {
        split: { targets: [{ version: 'v2', weight: 100 }] },
        restore: { split: { targets: [{ version: 'v1' }] } },
      },
    });
  });
});
