import { join } from 'node:path';
import { repoRoot as suiteRoot } from '@recsys-actions/testkit';
import {
  CHECKS,
  git,
  headOf,
  originWithStableSplit,
  TWO_STEP_RELEASE,
} from '../../../test/workflows-run/gitops-origin';
import { runWorkflow, summarize } from '../src/index';

// The reusable workflows with the default file router, run whole: every job gets a fresh clone of a bare
// "origin", so a traffic step counts only if the job pushed it (push: branch). Needs the built dists of
// shift-traffic and rollback (`pnpm build shift-traffic rollback`).

const repoRoot = suiteRoot();

async function canaryRelease(origin: string, recording: string) {
  const log: string[] = [];
  const result = await runWorkflow(join(repoRoot, '.github/workflows/canary-release.yml'), {
    event: 'workflow_call',
    repo: origin,
    inputs: {
      ...TWO_STEP_RELEASE,
      source: 'file',
      'source-config': `path: recordings/${recording}`,
      checks: CHECKS,
      interval: '60s',
    },
    log: (line) => log.push(line),
  });
  return { result, summary: summarize(result), log };
}

describe('canary-release with the file router and push: branch', () => {
  it('promotes a healthy canary: main ends at v2 100 % with every step journaled', async () => {
    const origin = originWithStableSplit();
    const { summary, log } = await canaryRelease(origin, 'healthy.jsonl');
    expect({ verdict: summary.outputs.verdict, log: summary.conclusion === 'success' ? [] : log }).toEqual({
      verdict: 'promoted',
      log: [],
    });
    const head = headOf(origin);
    expect(head.targets).toEqual([{ version: 'v2', weight: 100 }]);
    // Two commits per step: the verified change (intent and split) before its outcome is journaled, then the outcome.
    expect(head.subjects.slice(0, 4)).toEqual([
      expect.stringMatching(/^github-actions\[bot\]\|recsys: production journal \(shift-traffic, run \d+\)$/),
      expect.stringMatching(
        /^github-actions\[bot\]\|recsys: production v2 100% .*\(shift-traffic, run \d+\)$/,
      ),
      expect.stringMatching(/recsys: production journal \(shift-traffic, run \d+\)$/),
      expect.stringMatching(
        /^github-actions\[bot\]\|recsys: production v1 90% \/ v2 10% .*\(shift-traffic, run/,
      ),
    ]);
    // An intent and an outcome per step, both steps in the file that was pushed.
    expect(head.journal).toHaveLength(4);
  });

  it('rolls a regressing canary back and pushes v1 100 %', async () => {
    const origin = originWithStableSplit();
    const { summary } = await canaryRelease(origin, 'regressing.jsonl');
    expect(summary.outputs.verdict).toBe('rolled-back');
    expect(summary.jobs.rollback?.conclusion).toBe('success');
    const head = headOf(origin);
    expect(head.targets).toEqual([{ version: 'v1', weight: 100 }]);
    expect(head.subjects.slice(0, 4)).toEqual([
      expect.stringMatching(/recsys: production journal \(rollback, run \d+\)$/),
      expect.stringMatching(/^github-actions\[bot\]\|recsys: production v1 100% .*\(rollback, run \d+\)$/),
      expect.stringMatching(/recsys: production journal \(shift-traffic, run \d+\)$/),
      expect.stringMatching(/recsys: production v1 90% \/ v2 10% .*\(shift-traffic, run/),
    ]);
    expect(head.journal).toHaveLength(4);
  });

  it('stops on an inconclusive gate and rolls back', async () => {
    const origin = originWithStableSplit();
    const { summary, log } = await canaryRelease(origin, 'idle.jsonl');
    expect(summary.outputs.verdict).toBe('rolled-back');
    expect(log.join('\n')).toContain('The canary gate was inconclusive');
    const head = headOf(origin);
    expect(head.targets).toEqual([{ version: 'v1', weight: 100 }]);
    expect(head.subjects[1]).toMatch(/recsys: production v1 100% .*\(rollback, run \d+\)$/);
    expect(head.journal).toHaveLength(4);
  });

  it('refuses push: pr with canary steps before any traffic moves', async () => {
    const origin = originWithStableSplit();
    const before = git(origin, 'rev-parse', 'main');
    const log: string[] = [];
    const result = await runWorkflow(join(repoRoot, '.github/workflows/canary-release.yml'), {
      event: 'workflow_call',
      repo: origin,
      inputs: {
        environment: 'production',
        'canary-version': 'v2',
        steps: '10,100',
        push: 'pr',
        'source-config': 'path: recordings/healthy.jsonl',
        checks: CHECKS,
      },
      log: (line) => log.push(line),
    });
    expect(summarize(result).outputs.verdict).toBe('rolled-back');
    expect(log.join('\n')).toContain("Input 'push' is 'pr', but steps is '10,100'");
    expect(git(origin, 'rev-parse', 'main')).toBe(before);
  });
});

describe('manual-rollback', () => {
  async function manualRollback(origin: string, confirm: string) {
    const log: string[] = [];
    const result = await runWorkflow(join(repoRoot, '.github/workflows/manual-rollback.yml'), {
      event: 'workflow_call',
      repo: origin,
      inputs: { environment: 'production', reason: 'bad recs', confirm, ledger: 'file' },
      log: (line) => log.push(line),
    });
    return { summary: summarize(result), log: log.join('\n') };
  }

  it('refuses a wrong confirmation and an empty one, pushing nothing', async () => {
    const origin = originWithStableSplit();
    const before = git(origin, 'rev-parse', 'main');
    const wrong = await manualRollback(origin, 'staging');
    expect(wrong.summary.outputs.verdict).toBe('failed');
    expect(wrong.log).toContain("Input 'confirm' must equal the environment name 'production'");
    const empty = await manualRollback(origin, '');
    expect(empty.summary.outputs.verdict).toBe('failed');
    expect(empty.log).toContain("Input 'confirm' is empty");
    expect(git(origin, 'rev-parse', 'main')).toBe(before);
  });
});
