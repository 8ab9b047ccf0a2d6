import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import { loadWorkflow, runWorkflow, summarize, type RunWorkflowOptions } from '../src/index';
import { fixtureRepo, workflowFile } from './fixture-repo';

// One repository for the tests that need nothing else in it: every test gets fresh workspaces anyway.
const repo = fixtureRepo();

async function run(name: string, options: RunWorkflowOptions = {}, inRepo = repo) {
  const log: string[] = [];
  const result = await runWorkflow(workflowFile(inRepo, name), {
    repo: inRepo,
    log: (line) => log.push(line),
    ...options,
  });
  return { result, log, summary: summarize(result) };
}

describe('runWorkflow', () => {
  it('evaluates expressions, env at every level, GITHUB_OUTPUT, GITHUB_ENV and working-directory', async () => {
    const { summary, log } = await run('expressions', { inputs: { who: 'recsys', loud: 'true' } });
    expect(summary.jobs.greet).toEqual({
      conclusion: 'success',
      outputs: {
        line: 'hello recsys!!!',
        shout: 'YES',
        shares: '5|10|100',
        event: 'workflow_dispatch',
        later: 'from-env-file',
        heredoc: 'two\nlines',
        where: 'dir',
      },
    });
    expect(log).toContain('concurrency group: greet-recsys (cancel-in-progress: false)');
  });

  it('applies input defaults and refuses an undeclared or mistyped input', async () => {
    const { summary } = await run('expressions');
    expect(summary.jobs.greet?.outputs).toMatchObject({ line: 'hello world.', shout: 'no' });
    await expect(run('expressions', { inputs: { whom: 'x' } })).rejects.toThrow(
      "the command line passes input 'whom', which the workflow does not declare; it declares: who, loud, steps.",
    );
    await expect(run('expressions', { inputs: { loud: 'yes' } })).rejects.toThrow(/it is a boolean/);
  });

  it('runs if: with status functions for steps and jobs, continue-on-error and needs results', async () => {
    const { result, summary, log } = await run('status');
    expect(summary.conclusion).toBe('failure');
    expect(summary.jobs.flaky).toEqual({
      conclusion: 'failure',
      outputs: {
        tolerated: 'failure/success',
        'after-success': 'skipped',
        'on-failure': 'success',
        'on-always': 'success',
      },
    });
    expect(summary.jobs.dependent?.conclusion).toBe('skipped');
    expect(summary.jobs.rescue).toEqual({ conclusion: 'success', outputs: { seen: 'success' } });
    expect(summary.jobs.report?.outputs.results).toBe('failure,skipped,success,success');
    expect(result.jobs.flaky?.legs[0]?.steps.find((step) => step.id === 'breaks')?.errors).toEqual([
      'the model file is missing',
      'Run echo "::error::the model file is missing" exited with code 1',
    ]);
    expect(log).toContain('[flaky]   error: the model file is missing');
    expect(log).toContain(
      '[flaky]   error: Run echo "::error::the model file is missing" exited with code 1',
    );
  });

  it('runs matrix legs one at a time with max-parallel 1; fail-fast cancels the legs after a failure', async () => {
    const { result, log } = await run('matrix');
    const legs = (id: string) => result.jobs[id]?.legs.map((leg) => [leg.matrix.weight, leg.conclusion]);
    expect(legs('steps-in-order')).toEqual([
      [5, 'success'],
      [50, 'failure'],
      [100, 'cancelled'],
    ]);
    expect(result.jobs['steps-in-order']?.outputs.last).toBe('50');
    expect(log).toContain('[steps-in-order] leg {"weight":100} cancelled: an earlier leg failed (fail-fast)');
    expect(legs('every-leg')).toEqual([
      [5, 'failure'],
      [50, 'success'],
    ]);
  });

  it('calls a local reusable workflow with inputs, defaults, secrets and outputs', async () => {
    const { summary, log } = await run('caller');
    expect(log).toContain('[call / deploy]   calling the API with ***');
    expect(summary.jobs.call).toEqual({ conclusion: 'success', outputs: { summary: 'staging-v1-dry-6' } });
    expect(summary.jobs.use?.outputs.got).toBe('staging-v1-dry-6/success');
  });

  it('refuses a call that misses a required secret', async () => {
    const missing = fixtureRepo({
      '.github/workflows/bad-caller.yml': [
        'on: push',
        'jobs:',
        '  call:',
        '    uses: ./.github/workflows/callee.yml',
        '    with: { environment: prod }',
      ].join('\n'),
    });
    await expect(run('bad-caller', {}, missing)).rejects.toThrow(
      "job 'call' does not pass the required secret 'api-token'",
    );
  });

  it('kills a step that runs past its timeout-minutes and fails it', async () => {
    const { result } = await run('timeout');
    const [sleep, after] = result.jobs.slow?.legs[0]?.steps ?? [];
    expect(sleep?.conclusion).toBe('failure');
    expect(sleep?.errors).toEqual(['Run sleep 30 was killed: it ran past timeout-minutes']);
    expect(after?.outputs.after).toBe('failure');
  });

  it('gives each job a fresh clone: what a job does not push is gone in the next; artifacts pass', async () => {
    const { summary } = await run('checkout');
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    expect(summary.jobs.write?.outputs.commit).toBe(head);
    expect(summary.jobs.read?.outputs).toEqual({ unpushed: 'absent', weights: 'weights', sha: head });
  });

  it('re-runs all jobs as the next attempt of the same run, with the artifacts it uploaded', async () => {
    const first = await run('checkout');
    expect(first.result.conclusion).toBe('success');
    const rerun = await run('checkout', { rerunOf: first.result });
    expect(rerun.result.attempt).toEqual({ ...first.result.attempt, number: 2 });
    expect(rerun.result.artifactsDir).toBe(first.result.artifactsDir);
    // As on GitHub, an upload under a name the run already holds fails unless it sets overwrite.
    const upload = rerun.result.jobs.write?.legs[0]?.steps.find((step) => step.outcome === 'failure');
    expect(upload?.errors).toEqual(["An artifact named 'model' was already uploaded in this run."]);
  });

  it('resolves org/recsys-actions reusable workflows to this checkout', async () => {
    const template = await loadWorkflow(
      join(repoRoot(), 'workflows-templates', 'recsys-model-ci.yml'),
      repo,
      repoRoot(),
    );
    expect(template.jobs.map((job) => job.called?.file)).toEqual([
      join(repoRoot(), '.github', 'workflows', 'model-ci.yml'),
    ]);
  });

  it('refuses a third-party action, naming it, before anything runs', async () => {
    await expect(run('third-party')).rejects.toThrow(
      "The workflow runner cannot run 'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020'",
    );
  });

  it("runs this repository's built actions: a suite ref and a ./ action from the checkout", async () => {
    const withActions = fixtureRepo(
      { 'metrics.json': JSON.stringify({ 'ndcg@10': 0.45 }) },
      {
        'actions/notify-slack/action.yml': join(repoRoot(), 'actions', 'notify-slack', 'action.yml'),
        'actions/notify-slack/dist': join(repoRoot(), 'actions', 'notify-slack', 'dist'),
      },
    );
    const { summary, result } = await run('real-actions', {}, withActions);
    expect(summary.jobs.gate?.outputs).toMatchObject({ verdict: 'pass', passed: 'true' });
    const payloadPath = summary.jobs.gate?.outputs.payload ?? '';
    expect(readFileSync(payloadPath, 'utf8')).toContain('Gate pass');
    expect(result.jobs.gate?.legs[0]?.summary).toContain('ndcg@10');
  });
});
