import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { expectCleanFailure, matchReportCorpus, workspaceWith } from '@recsys-actions/testkit';
import {
  expectSuccess,
  readTrafficSplit,
  RUN_SHA,
  snapshot,
  step,
  trafficFile,
} from '../../shift-traffic/test/helpers';

/** Each step's deployment as `<intent summary>: <states>`, oldest first. */
function journal(github: GitHubEmulator): string[] {
  return github.deployments().map((deployment) => {
    const states = deployment.statuses.map((status) => status.state).join(',');
    return `${deployment.description}: ${states}`;
  });
}

describe('shift-traffic and rollback with the github ledger (GitHub API emulator)', () => {
  let github: GitHubEmulator;
  const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
  // ledger: auto picks github because a token is available.
  const options = () => ({ token: 'ghs_test', env: { GITHUB_API_URL: github.url } });
  const shift = (canary: string, weight: number) =>
    step('shift-traffic', workspace, { 'canary-version': canary, 'canary-weight': weight }, options());

  beforeAll(async () => {
    github = await startGitHubEmulator();
  });
  afterAll(async () => {
    await github?.close();
  });
  afterEach(() => {
    expect(github.rejected).toEqual([]);
    expect(github.faults).toEqual([]);
  });

  it('journals a canary step as one deployment of the run commit, in_progress then success', async () => {
    const run = await shift('v2', 10);
    expectSuccess(run);
    expect(journal(github)).toEqual(['Canary v2 at 10%: in_progress,success']);
    const [deployment] = github.deployments();
    expect(deployment).toMatchObject({
      sha: RUN_SHA,
      ref: RUN_SHA,
      environment: 'production',
      autoMerge: false,
    });
    expect(deployment?.payload).toMatchObject({
      version: 'v2',
      recsys: { journal: 1, intent: { type: 'intent', step: 'shift', stable: 'v1', version: 'v2' } },
    });
    expect(deployment?.statuses.map((status) => status.description)).toEqual([
      'Started by octocat',
      'Applied by octocat',
    ]);
    expect(JSON.parse(run.outputs.report ?? '')).toMatchObject({
      details: { ledger: 'GitHub deployments of environment production' },
    });
  });

  it('promotes, then rolls back to the version that was live before, reading only the newest deployments', async () => {
    expectSuccess(await shift('v2', 100));
    expectSuccess(await shift('v3', 25));
    const before = github.requests.length;
    const run = await step(
      'rollback',
      workspace,
      { reason: 'CTR dropped 4 %', 'from-version': 'v3' },
      options(),
    );
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ 'from-version': 'v3', 'to-version': 'v2' });
    expect(readTrafficSplit(workspace)).toEqual({ v2: 100 });
    expect(journal(github).at(-1)).toBe('Roll back to v2 from v3: in_progress,success');
    // One list of recent deployments, the newest step's statuses, then the intent and its two statuses.
    expect(github.requests.slice(before).map((request) => request.operationId)).toEqual([
      'repos/list-deployments',
      'repos/list-deployment-statuses',
      'repos/create-deployment',
      'repos/create-deployment-status',
      'repos/create-deployment-status',
    ]);
    matchReportCorpus('rollback-github-ledger-canary', run);
  });

  it('walks back past the rolled-back canary on the next rollback, to the version live before v2', async () => {
    const run = await step('rollback', workspace, { reason: 'v2 regressed as well' }, options());
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ 'from-version': 'v2', 'to-version': 'v1' });
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
  });

  it('refuses a to-version the journal never saw, before any deployment is created', async () => {
    const deployments = github.deployments().length;
    const files = snapshot(workspace);
    const run = await step('rollback', workspace, { reason: 'typo', 'to-version': 'v7' }, options());
    expect(expectCleanFailure(run)).toMatch(
      /^Input 'to-version' is 'v7', which the journal .* has never seen/,
    );
    expect(github.deployments()).toHaveLength(deployments);
    expect(snapshot(workspace)).toEqual(files);
  });

  it('stops before traffic moves when the token may not create deployments, naming the permission', async () => {
    const files = snapshot(workspace);
    github.failNext(1, 403, {
      message: 'Resource not accessible by integration',
      on: 'POST /repos/{owner}/{repo}/deployments',
    });
    const run = await shift('v4', 10);
    expect(expectCleanFailure(run)).toMatch(
      /^GitHub refused to create a deployment \(403 Resource not accessible by integration\): the token needs `permissions: deployments: write` in the workflow\./,
    );
    expect(snapshot(workspace)).toEqual(files);
    expect(run.stdout.replaceAll('::add-mask::ghs_test', '')).not.toContain('ghs_test');
  });

  it('moves nothing when the intent cannot be fully written, and the re-run completes the journal', async () => {
    const env = { GITHUB_API_URL: github.url, GITHUB_RUN_ID: '31337' };
    // As many 500s as the client has attempts: the intent's in_progress status is never written.
    github.failNext(4, 500, { on: 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses' });
    const inputs = { 'canary-version': 'v4', 'canary-weight': 10 };
    const first = await step('shift-traffic', workspace, inputs, { token: 'ghs_test', env });
    expect(expectCleanFailure(first)).toMatch(/^GitHub failed to record a deployment status \(500 /);
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
    // The deployment without statuses reads as this step's unfinished intent: the re-run marks it abandoned.
    const rerun = await step('shift-traffic', workspace, inputs, { token: 'ghs_test', env });
    expectSuccess(rerun);
    expect(readTrafficSplit(workspace)).toEqual({ v1: 90, v4: 10 });
    expect(JSON.parse(rerun.outputs.report ?? '')).toMatchObject({
      details: { journal: { outcome: 'applied', reconciled: [{ result: 'abandoned' }] } },
    });
  });
});
