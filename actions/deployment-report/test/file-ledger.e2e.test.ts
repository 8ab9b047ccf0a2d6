import { readFileSync } from 'node:fs';
import { matchReportCorpus, runAction } from '@recsys-actions/testkit';
import { startGitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { COMMITS } from '../../../packages/insights/test/scenarios';
import { marchWorkspace, UNTIL } from './workspaces';

const HOUR = 3_600_000;

function report(
  workspace: string,
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; token?: string } = {},
) {
  return runAction({
    action: 'deployment-report',
    workspace,
    inputs: { environment: 'production, staging', until: UNTIL, ledger: 'file', ...inputs },
    ...options,
  });
}

describe('deployment-report with file ledgers (built dist, runner emulation)', () => {
  it('reports production and staging over 28 days: metrics, bands, history, charts; warn below min-band high', async () => {
    const { workspace } = await marchWorkspace();
    const run = await report(workspace, { 'min-band': 'high' });
    expect({ exitCode: run.exitCode, errors: run.errors, warnings: run.warnings }).toEqual({
      exitCode: 0,
      errors: [],
      warnings: [],
    });
    expect(run.outputs.verdict).toBe('warn');
    const metrics = JSON.parse(run.outputs.metrics ?? '[]');
    // The hand-computed answers of packages/insights/test/insights.test.ts, now with commit times from git.
    expect(metrics[0]).toMatchObject({
      environment: 'production',
      deployments: 3,
      deploymentsPerWeek: 0.75,
      leadTime: { count: 3, median: 25 * HOUR, withoutCommit: 0 },
      changeFailureRate: { failed: 2, settled: 4, rate: 0.5 },
      timeToRestore: { count: 2, median: 738 * 60_000 },
      bands: {
        deploymentFrequency: 'medium',
        leadTime: 'high',
        changeFailureRate: 'low',
        timeToRestore: 'high',
      },
    });
    expect(metrics[1]).toMatchObject({
      environment: 'staging',
      deployments: 1,
      inProgress: 1,
      leadTime: { median: 24 * HOUR },
    });
    expect(JSON.parse(run.outputs['below-min-band'] ?? '')).toEqual([
      { environment: 'production', metric: 'deploymentFrequency', band: 'medium' },
      { environment: 'production', metric: 'changeFailureRate', band: 'low' },
      { environment: 'staging', metric: 'deploymentFrequency', band: 'medium' },
    ]);
    expect(JSON.parse(run.outputs.history ?? '').map((row: { version: string }) => row.version)).toEqual([
      'v3',
      'v5',
      'v4',
      'v3',
      'v2',
      'v2',
    ]);
    expect(run.summary).toContain('### ⚠️ deployment-report: **warn**');
    expect(run.summary).toContain('xychart-beta');
    expect(run.summary).toContain('title "Promotions per week"');
    expect(run.summary).toContain('line [24, 25, 2, 72]');
    expect(run.summary).toContain('| Environment | Version | Started |');
    const written = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(written).toMatchObject({ action: 'deployment-report', verdict: 'warn' });
    matchReportCorpus('deployment-report-two-environments', run);
  });

  it('is ok under the default min-band, and reads an empty window as low frequency with nothing else to band', async () => {
    const { workspace } = await marchWorkspace();
    const run = await report(workspace, {
      environment: 'production',
      until: '2026-06-30T00:00:00Z',
      since: '2w',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.verdict).toBe('ok');
    expect(JSON.parse(run.outputs.metrics ?? '')[0]).toMatchObject({
      deployments: 0,
      bands: { deploymentFrequency: 'low', leadTime: null, changeFailureRate: null, timeToRestore: null },
    });
    expect(JSON.parse(run.outputs.history ?? '')).toEqual([]);
  });

  it('asks GitHub for the time of a commit a shallow checkout lacks', async () => {
    const { workspace, shas } = await marchWorkspace(['c5']);
    const github = await startGitHubEmulator();
    try {
      github.addCommit({ sha: shas.c5, committedAt: COMMITS.c5.at });
      const run = await report(
        workspace,
        { environment: 'production' },
        { env: { GITHUB_API_URL: github.url }, token: 'ghs_commits' },
      );
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.outputs.metrics ?? '')[0].leadTime).toMatchObject({
        count: 3,
        median: 25 * HOUR,
        withoutCommit: 0,
      });
      const commitReads = github.requests.filter((request) => request.operationId === 'git/get-commit');
      expect(commitReads.map((request) => request.path)).toEqual([
        `/repos/octo-org/recsys/git/commits/${shas.c5}`,
      ]);
      expect(github.rejected).toEqual([]);
      expect(github.faults).toEqual([]);
      expect(run.summary).toContain('1 commit time(s) came from the GitHub API');
    } finally {
      await github.close();
    }
  });
});
