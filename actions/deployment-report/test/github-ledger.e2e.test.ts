import { runAction, workspaceWith } from '@recsys-actions/testkit';
import { startGitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { JournalWriter } from '../../../packages/insights/test/ledgers';
import { MARCH, writeBusy, writeProduction } from '../../../packages/insights/test/scenarios';
import { emulatedLedger } from './workspaces';

const RELEASES = 500;
// The busy scenario's releases start two hours apart from January 1st: 1000 hours hold all 500.
const UNTIL = new Date(Date.parse('2026-01-01T00:00:00Z') + 1000 * 3_600_000).toISOString();

describe('deployment-report with the github ledger against the OpenAPI-checked emulator (built dist)', () => {
  it('reads 1 501 deployments in 16 pages and one status request, never one request per deployment', async () => {
    let now = new Date('2025-12-31T00:00:00Z');
    const github = await startGitHubEmulator({ now: () => now });
    try {
      const ledger = emulatedLedger(github);
      await writeBusy(new JournalWriter(ledger, (at) => (now = at)), RELEASES);
      expect(github.deployments()).toHaveLength(1 + 3 * RELEASES);
      const seeded = github.requests.length;

      const workspace = workspaceWith({});
      const run = await runAction({
        action: 'deployment-report',
        workspace,
        inputs: { environment: 'production', since: '1000h', until: UNTIL, ledger: 'github' },
        env: { GITHUB_API_URL: github.url },
        token: 'ghs_report',
      });
      expect({ exitCode: run.exitCode, errors: run.errors }).toEqual({ exitCode: 0, errors: [] });
      const reads = github.requests.slice(seeded).map((request) => request.operationId);
      expect(reads.filter((id) => id === 'repos/list-deployments')).toHaveLength(16);
      expect(reads.filter((id) => id !== 'repos/list-deployments')).toEqual([
        'repos/list-deployment-statuses',
      ]);
      expect(github.rejected).toEqual([]);
      expect(github.faults).toEqual([]);

      // By hand: 450 promotions in 1000 h (10.8 a day), 50 of 500 releases rolled back, each 41 minutes after
      // its canary began; no promotion names a commit.
      expect(JSON.parse(run.outputs.metrics ?? '')[0]).toMatchObject({
        deployments: 450,
        deploymentsPerDay: 10.8,
        changeFailureRate: { failed: 50, settled: 500, rate: 0.1 },
        timeToRestore: { count: 50, median: 41 * 60_000, p90: 41 * 60_000 },
        leadTime: { count: 0, withoutCommit: 450 },
        bands: {
          deploymentFrequency: 'elite',
          leadTime: null,
          changeFailureRate: 'high',
          timeToRestore: 'elite',
        },
      });
    } finally {
      await github.close();
    }
  }, 300_000);

  it('tells the hand-computed production story through GitHub blips: a 502 and a secondary rate limit are retried', async () => {
    let now = new Date('2026-02-01T00:00:00Z');
    const github = await startGitHubEmulator({ now: () => now });
    try {
      const ledger = emulatedLedger(github);
      await writeProduction(new JournalWriter(ledger, (at) => (now = at)));
      github.failNext(1, 502, { on: 'GET /repos/{owner}/{repo}/deployments' });
      github.rateLimitNext(1, {
        limit: 'secondary',
        retryAfterSeconds: 1,
        on: 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      });
      const run = await runAction({
        action: 'deployment-report',
        workspace: workspaceWith({}),
        inputs: { environment: 'production', until: MARCH.until.toISOString(), ledger: 'github' },
        env: { GITHUB_API_URL: github.url },
        token: 'ghs_report',
      });
      // Once in a loaded full-suite run this exited 1 with no ::error:: line; show the process's own output if so.
      const crash = run.exitCode === 0 ? '' : `${run.stderr}${run.stdout.slice(-3000)}`;
      expect({ exitCode: run.exitCode, errors: run.errors, crash }).toEqual({
        exitCode: 0,
        errors: [],
        crash: '',
      });
      expect(github.requests.filter((request) => request.injected).map((request) => request.status)).toEqual([
        502, 403,
      ]);
      // The commits are not in the workspace and GitHub does not know them: no lead time, said so.
      expect(JSON.parse(run.outputs.metrics ?? '')[0]).toMatchObject({
        deployments: 3,
        changeFailureRate: { failed: 2, settled: 4, rate: 0.5 },
        timeToRestore: { count: 2, median: 738 * 60_000 },
        leadTime: { count: 0, withoutCommit: 3 },
      });
      expect(run.summary).toContain('Commit time unknown for');
    } finally {
      await github.close();
    }
  }, 120_000);
});
