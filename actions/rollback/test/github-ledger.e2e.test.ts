import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { matchReportCorpus, workspaceWith } from '@recsys-actions/testkit';
import {
  expectSuccess,
  readTrafficSplit,
  RUN_SHA,
  RUN_URL,
  step,
  trafficFile,
} from '../../shift-traffic/test/helpers';

describe('shift-traffic and rollback with the github ledger (GitHub API emulator)', () => {
  let github: GitHubEmulator;
  const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
  // ledger: auto picks github because a token is available.
  const options = () => ({ token: 'ghs_test', env: { GITHUB_API_URL: github.url } });
  const shift = (stable: string, canary: string, weight: number) =>
    step(
      'shift-traffic',
      workspace,
      { 'stable-version': stable, 'canary-version': canary, 'canary-weight': weight },
      options(),
    );
  /** Each version's deployment with its statuses' states, oldest first. */
  const states = () =>
    Object.fromEntries(
      github
        .deployments()
        .map((deployment) => [
          (deployment.payload as { version: string }).version,
          deployment.statuses.map((status) => status.state),
        ]),
    );

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

  it('records a canary as an in_progress deployment of the run commit', async () => {
    const run = await shift('v1', 'v2', 10);
    expectSuccess(run);
    expect(states()).toEqual({ v1: ['success'], v2: ['in_progress'] });
    const v2 = github.deployments()[1];
    expect(v2).toMatchObject({ sha: RUN_SHA, ref: RUN_SHA, environment: 'production', autoMerge: false });
    expect(v2?.payload).toMatchObject({
      version: 'v2',
      split: { targets: [{ version: 'v1' }, { version: 'v2' }] },
    });
    expect(v2?.statuses[0]).toMatchObject({ description: 'Canary 10% by octocat', logUrl: RUN_URL });
    expect(JSON.parse(run.outputs.report ?? '')).toMatchObject({
      details: { ledger: 'GitHub deployments of environment production' },
    });
  });

  it('marks the promotion success and the superseded version inactive', async () => {
    expectSuccess(await shift('v1', 'v2', 100));
    expect(states()).toEqual({ v1: ['success', 'inactive'], v2: ['in_progress', 'success'] });
  });

  it('rolls a canary back to the stable version it reads from the deployments, marking it failure', async () => {
    expectSuccess(await shift('v2', 'v3', 25));
    const run = await step('rollback', workspace, { reason: 'CTR dropped 4 %' }, options());
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ 'from-version': 'v3', 'to-version': 'v2' });
    expect(readTrafficSplit(workspace)).toEqual({ v2: 100 });
    expect(states()).toEqual({
      v1: ['success', 'inactive'],
      v2: ['in_progress', 'success'],
      v3: ['in_progress', 'failure'],
    });
    expect(github.deployments()[2]?.statuses[1]?.description).toBe('Rolled back by octocat: CTR dropped 4 %');
    matchReportCorpus('rollback-github-ledger-canary', run);
  });

  it('walks further back on the next rollback', async () => {
    const run = await step('rollback', workspace, { reason: 'v2 regressed as well' }, options());
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ 'from-version': 'v2', 'to-version': 'v1' });
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
    expect(states()).toMatchObject({
      v1: ['success', 'inactive', 'success'],
      v2: ['in_progress', 'success', 'failure'],
    });
  });
});
