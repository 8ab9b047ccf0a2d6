import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectCleanFailure, git } from '@recsys-actions/testkit';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { expectSuccess, snapshot, step, trafficFile } from './helpers';

/** A bare origin whose main routes v1 100 %, and a job's checkout of it. */
function originAndCheckout(): { origin: string; workspace: string } {
  const root = mkdtempSync(join(tmpdir(), 'push-e2e-'));
  const origin = join(root, 'origin.git');
  const workspace = join(root, 'workspace');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(root, 'clone', '--quiet', origin, workspace);
  mkdirSync(join(workspace, 'traffic'));
  writeFileSync(join(workspace, 'traffic/production.json'), trafficFile({ v1: 100 }));
  git(workspace, 'add', '.');
  git(workspace, 'commit', '--quiet', '-m', 'v1 live');
  git(workspace, 'push', '--quiet', 'origin', 'main');
  return { origin, workspace };
}

const splitOn = (origin: string, branch: string) =>
  (
    JSON.parse(git(origin, 'show', `${branch}:traffic/production.json`)) as {
      split: { targets: { version: string; weight: number }[] };
    }
  ).split.targets;

describe('push: the file router and the file ledger, committed and pushed', () => {
  it('push: branch commits the traffic file and the journal to the checked-out branch', async () => {
    const { origin, workspace } = originAndCheckout();
    const run = await step('shift-traffic', workspace, {
      'canary-version': 'v2',
      'canary-weight': 10,
      ledger: 'file',
      push: 'branch',
    });
    expectSuccess(run);
    expect(splitOn(origin, 'main')).toEqual([
      { version: 'v1', weight: 90 },
      { version: 'v2', weight: 10 },
    ]);
    // The verified change (split and intent) is pushed before the outcome is journaled, then the outcome.
    expect(git(origin, 'show', '--name-only', '--format=%an|%s', 'main~1').split('\n')).toEqual([
      expect.stringMatching(
        /^github-actions\[bot\]\|recsys: production v1 90% \/ v2 10% .*\(shift-traffic, run \d+\)$/,
      ),
      '',
      '.recsys/ledger/production.jsonl',
      'traffic/production.json',
    ]);
    expect(git(origin, 'show', '--name-only', '--format=%an|%s', 'main').split('\n')).toEqual([
      expect.stringMatching(/^github-actions\[bot\]\|recsys: production journal \(shift-traffic, run \d+\)$/),
      '',
      '.recsys/ledger/production.jsonl',
    ]);
    expect(JSON.parse(run.outputs.report ?? '').notes).toContainEqual(
      expect.stringMatching(/^Pushed [0-9a-f]{12} to main\.$/),
    );
  });

  it('push: none leaves the commit history alone', async () => {
    const { origin, workspace } = originAndCheckout();
    const before = git(origin, 'rev-parse', 'main');
    expectSuccess(
      await step('shift-traffic', workspace, { 'canary-version': 'v2', 'canary-weight': 10, ledger: 'file' }),
    );
    expect(git(origin, 'rev-parse', 'main')).toBe(before);
  });

  it('refuses push: pr for a canary share, before anything changes', async () => {
    const { workspace } = originAndCheckout();
    const before = snapshot(workspace);
    const run = await step('shift-traffic', workspace, {
      'canary-version': 'v2',
      'canary-weight': 10,
      ledger: 'file',
      push: 'pr',
    });
    expectCleanFailure(run);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Input 'push' can be 'pr' only for a switch to 100 % \(canary-weight is 10\).*Example: push: branch$/,
      ),
    ]);
    expect(snapshot(workspace)).toEqual(before);
  });

  it('refuses push: branch when the run is not on a branch, saying traffic did not move', async () => {
    const { origin, workspace } = originAndCheckout();
    const before = git(origin, 'rev-parse', 'main');
    const run = await step(
      'shift-traffic',
      workspace,
      { 'canary-version': 'v2', 'canary-weight': 10, ledger: 'file', push: 'branch' },
      { env: { GITHUB_REF: 'refs/tags/v1' } },
    );
    expectCleanFailure(run);
    expect(run.errors).toEqual([
      expect.stringContaining("push needs the job to run on a branch, but GITHUB_REF is 'refs/tags/v1'"),
    ]);
    expect(git(origin, 'rev-parse', 'main')).toBe(before);
  });

  describe('push: pr (GitHub API emulator)', () => {
    let github: GitHubEmulator;
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

    it('pushes a promotion to recsys/<environment> and opens one pull request, updated by the next switch', async () => {
      const { origin, workspace } = originAndCheckout();
      const options = { token: 'ghs_test', env: { GITHUB_API_URL: github.url } };
      const promote = { 'canary-version': 'v2', 'canary-weight': 100, ledger: 'file', push: 'pr' };
      expectSuccess(await step('shift-traffic', workspace, promote, options));
      expect(splitOn(origin, 'recsys/production')).toEqual([{ version: 'v2', weight: 100 }]);
      expect(splitOn(origin, 'main')).toEqual([{ version: 'v1', weight: 100 }]);
      const [pull] = github.issues();
      expect(pull).toMatchObject({
        state: 'open',
        title: expect.stringMatching(/^recsys: production v2 100% .*\(shift-traffic, run \d+\)$/),
        pullRequest: { headRef: 'recsys/production', baseRef: 'main' },
      });

      // The rollback of the promotion, in the same workspace: the PR branch moves and the pull request is retitled.
      const rollback = await step(
        'rollback',
        workspace,
        { reason: 'not yet', ledger: 'file', push: 'pr' },
        options,
      );
      expectSuccess(rollback);
      expect(splitOn(origin, 'recsys/production')).toEqual([{ version: 'v1', weight: 100 }]);
      expect(github.issues()).toHaveLength(1);
      expect(github.issues()[0]?.title).toMatch(/^recsys: production v1 100% .*\(rollback, run \d+\)$/);
      expect(JSON.parse(rollback.outputs.report ?? '').notes).toContainEqual(
        expect.stringMatching(/^Traffic moves when pull request #1 \(.*\/pull\/1\) is merged\.$/),
      );
    });
  });
});
