import { UserFacingError } from '@recsys-actions/core';
import { fakeActionContext, repoRoot, workspaceWith } from '@recsys-actions/testkit';
import { validateModel } from '../src/run';

// In-process tests of the action body on a fake runner: fast, and they reach the body's branches directly.
// The e2e tests next to this file cover the same action through its built dist.

describe('validateModel body (fake ActionContext)', () => {
  it('gates the bundled demo model against its champion and publishes a schema-valid report', async () => {
    const ctx = fakeActionContext('validate-model', {
      run: { workspace: repoRoot() },
      inputs: {
        metrics: 'demo/model/serving-metrics.json',
        recommendations: 'demo/data/recommendations.csv',
        interactions: 'demo/data/ground-truth.csv',
        baseline: 'demo/champion/metrics.json',
        thresholds: 'demo/gates.yml',
        'model-path': 'demo/model',
        // Report only, so the test sees the verdict whatever the demo data says.
        'fail-on': 'never',
      },
    });
    await validateModel(ctx);
    expect(ctx.published).toHaveLength(1);
    const [{ report }] = ctx.published as [(typeof ctx.published)[0]];
    expect(report.action).toBe('validate-model');
    expect(report.verdict).toBe('fail');
    expect(ctx.outputs.verdict).toBe(report.verdict);
    expect(report.checks.map((check) => check.name)).toEqual([
      'rmse',
      'precision@10',
      'ndcg@10',
      'p95_inference_ms',
      'diversity@10',
      'coverage@10',
    ]);
    // fail-on never: the verdict is reported, the step passes.
    expect(ctx.outputs.passed).toBe('true');
    const critical = JSON.parse(ctx.outputs['critical-failures'] ?? '[]') as string[];
    expect(critical.length).toBeGreaterThan(0);
    expect(report.title).toBe(
      `${critical.length} of 6 checks failed a critical rule: ${critical.join(', ')}.`,
    );
    expect(ctx.outputs['model-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(ctx.outputs.report ?? '{}')).toEqual(report);
  });

  it('publishes first, then fails with the fail-on message when a warning blocks under fail-on warning', async () => {
    const ctx = fakeActionContext('validate-model', {
      run: {
        workspace: workspaceWith({
          'metrics.json': JSON.stringify({ 'ndcg@10': 0.5, 'coverage@10': 0.4 }),
        }),
      },
      inputs: {
        metrics: 'metrics.json',
        thresholds: "{'ndcg@10': {min: 0.42}, 'coverage@10': {min: 0.6, severity: warning}}",
        'fail-on': 'warning',
      },
    });
    await expect(validateModel(ctx)).rejects.toThrow(
      new UserFacingError('Model validation failed (fail-on: warning): coverage@10'),
    );
    expect(ctx.outputs).toMatchObject({ passed: 'false', verdict: 'warn', warnings: '["coverage@10"]' });
    expect(ctx.published[0]?.report.title).toBe('All critical checks passed; 1 warning(s): coverage@10.');
    expect(ctx.published[0]?.options.comment).toBeUndefined();
  });

  it('asks for the sticky PR comment on a pull_request run, with the default token', async () => {
    const ctx = fakeActionContext('validate-model', {
      token: 'ghs_fake',
      run: {
        eventName: 'pull_request',
        workspace: workspaceWith({ 'metrics.json': JSON.stringify({ rmse: 0.7 }) }),
      },
      inputs: { metrics: 'metrics.json', thresholds: '{rmse: {max: 0.85}}' },
    });
    await validateModel(ctx);
    expect(ctx.outputs.passed).toBe('true');
    expect(ctx.published[0]?.options.comment).toEqual({ token: 'ghs_fake', key: 'validate-model' });
  });
});
