import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  expectCleanFailure,
  runAction,
  expectEchoedTokenMasked,
  workspaceWith,
} from '@recsys-actions/testkit';
import { runWithEchoingGitHub } from '@recsys-actions/testkit/github/echoing';

const METRICS = JSON.stringify({ 'ndcg@10': 0.45, rmse: 0.8 });
const DATA = {
  'recs.csv': 'user,item,score\nu1,a,0.9\nu1,b,0.5\nu2,a,0.7\n',
  'truth.csv': 'user,item\nu1,a\nu2,b\n',
};

const validate = (inputs: Record<string, string>, workspace = workspaceWith({ 'metrics.json': METRICS })) =>
  runAction({ action: 'validate-model', workspace, inputs: { metrics: 'metrics.json', ...inputs } });

describe('validate-model on hostile input (built dist)', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty'])(
    'names a threshold on %s as an unknown metric, not a dumped ZodError',
    async (name) => {
      const run = await validate({ thresholds: `${name}: {min: 0.9}` });
      expect(expectCleanFailure(run)).toBe(
        `Input 'thresholds' names unknown metric '${name}': it is neither in the metrics file nor one this action computes (such as ndcg@10, precision@10, rmse). Example: thresholds: 'ndcg@10: {min: 0.42}'`,
      );
    },
  );

  it('refuses a __proto__ rule instead of dropping it and passing', async () => {
    const run = await validate({ thresholds: '__proto__: {min: 0.9}' });
    expect(expectCleanFailure(run)).toMatch(
      /^Input 'thresholds' is invalid: '__proto__' cannot name a metric/,
    );
    expect(run.outputs.verdict).toBeUndefined();
  });

  it('refuses k above 1000 at once', async () => {
    const run = await validate({
      k: '10,1000000000',
      recommendations: 'recs.csv',
      interactions: 'truth.csv',
    });
    expect(expectCleanFailure(run)).toBe(
      "Input 'k' must be whole numbers from 1 to 1000, got '1000000000'. Example: k: 5,10,20",
    );
  });

  it('names k when a threshold needs a cut-off that is not computed', async () => {
    const run = await runAction({
      action: 'validate-model',
      workspace: workspaceWith(DATA),
      inputs: { recommendations: 'recs.csv', interactions: 'truth.csv', thresholds: 'ndcg@20: {min: 0.1}' },
    });
    expect(expectCleanFailure(run)).toBe(
      "Input 'k' does not include 20, which the threshold on 'ndcg@20' needs (k is 10). Example: k: 10,20",
    );
  });

  it('refuses a report-path that is a directory before judging anything', async () => {
    const workspace = workspaceWith({ 'metrics.json': METRICS });
    mkdirSync(join(workspace, 'reports'));
    const run = await validate({ 'report-path': 'reports' }, workspace);
    expect(expectCleanFailure(run)).toBe(
      "Input 'report-path' names a directory, expected a file to write ('reports'). Example: report-path: reports/validate-model.json",
    );
    expect(run.outputs).toEqual({});
  });
});

describe('validate-model summary', () => {
  it('shows the metrics when no threshold is given', async () => {
    const run = await validate({});
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('#### Metrics without a threshold');
    expect(run.summary).toContain('| `ndcg@10` | 0.45 |');
    expect(run.summary).toContain('| `rmse` | 0.8 |');
    expect(run.stdout).toContain('validate-model: pass. ');
  });

  it('shows max-model-size as written, and the model size in the same units', async () => {
    const workspace = workspaceWith({ 'metrics.json': METRICS, 'model/weights.bin': 'x'.repeat(2500) });
    const run = await validate({ 'model-path': 'model', 'max-model-size': '1GB' }, workspace);
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('| ✅ | `model size` | — | ≤ 1GB | (warning) 2.5 KB |');
    expect(run.summary).not.toContain('953.7 MiB');
  });
});

describe('validate-model masks its token', () => {
  it('also when a GitHub error echoes it', async () => {
    const token = 'ghs_emulated';
    const run = await runWithEchoingGitHub({
      action: 'validate-model',
      workspace: workspaceWith({ 'metrics.json': METRICS }),
      inputs: { metrics: 'metrics.json', comment: 'true' },
      token,
    });
    expect(run.exitCode).toBe(0);
    expectEchoedTokenMasked(run, token);
  });
});
