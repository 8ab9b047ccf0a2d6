// The blue-green reusable workflow run whole on this machine (tools/workflow-runner) with the built
// shift-traffic and rollback actions of this checkout: the verdict, and that the rollback job runs only once
// traffic may have moved.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import { runWorkflow, summarize } from '../tools/workflow-runner/src/index';

/** A model repository whose traffic file routes v1, committed, as actions/checkout clones it. */
function modelRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'blue-green-repo-'));
  mkdirSync(join(repo, 'traffic'));
  const split = { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request' };
  const file = { environment: 'production', revision: 1, updatedAt: '2026-03-01T09:00:00.000Z', split };
  writeFileSync(join(repo, 'traffic', 'production.json'), JSON.stringify(file));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '--quiet', '-m', 'traffic');
  return repo;
}

async function blueGreen(inputs: Record<string, string>) {
  const result = await runWorkflow(join(repoRoot(), '.github', 'workflows', 'blue-green.yml'), {
    event: 'workflow_call',
    inputs: {
      environment: 'production',
      version: 'v2',
      'deploy-command': 'echo "deploying $RECSYS_VERSION beside $RECSYS_STABLE_VERSION"',
      ledger: 'file',
      // This repository is not bare, so a push to its checked-out main would be refused; the pushing
      // release runs in test/workflows-run/blue-green.e2e.test.ts.
      push: 'none',
      ...inputs,
    },
    repo: modelRepo(),
    log: () => undefined,
  });
  return summarize(result);
}

describe('blue-green.yml, run whole', () => {
  it('switches a version that passes its checks and its verification: verdict switched, no rollback', async () => {
    const summary = await blueGreen({
      'smoke-command': 'test "$RECSYS_VERSION" = v2',
      'verify-command':
        'test "$RECSYS_SPLIT" = \'{"targets":[{"version":"v2","weight":100}],"stickiness":"request"}\'',
    });
    expect(summary.jobs.switch?.conclusion).toBe('success');
    expect(summary.jobs.rollback?.conclusion).toBe('skipped');
    expect(summary.outputs.verdict).toBe('switched');
    expect(JSON.parse(summary.outputs.report ?? '')).toMatchObject({
      action: 'shift-traffic',
      verdict: 'shifted',
    });
  });

  it('refuses a version whose smoke-command fails without running the rollback job: verdict refused', async () => {
    const summary = await blueGreen({ 'smoke-command': 'exit 3' });
    expect(summary.jobs.switch?.conclusion).toBe('failure');
    expect(summary.jobs.rollback?.conclusion).toBe('skipped');
    expect(summary.outputs.verdict).toBe('refused');
  });

  it('rolls back when verify-command fails after the switch: verdict rolled-back', async () => {
    // Each job clones the repository afresh and the file router's switch is not pushed, so the rollback job
    // sees v1 serving; with no journal to consult it finds v2 out of traffic already.
    const summary = await blueGreen({ 'verify-command': 'exit 1', ledger: 'none' });
    expect(summary.jobs.switch?.outputs['switch-started']).toBe('true');
    expect(summary.jobs.rollback?.conclusion).toBe('success');
    expect(summary.outputs.verdict).toBe('rolled-back');
    expect(JSON.parse(summary.outputs.report ?? '')).toMatchObject({ action: 'rollback' });
  });
});
