import { readFileSync } from 'node:fs';
import { expectCleanFailure, matchReportCorpus, runAction, workspaceWith } from '@recsys-actions/testkit';

const SEED_THRESHOLDS = `
rmse:             { max: 0.85 }
precision@10:     { min: 0.35 }
ndcg@10:          { min: 0.42, min-relative-change: -0.01 }
p95_inference_ms: { max: 50 }
diversity@10:     { min: 0.5, severity: warning }
coverage@10:      { min: 0.6, severity: warning }
`;

const GOOD = {
  rmse: 0.81,
  'precision@10': 0.38,
  'ndcg@10': 0.452,
  p95_inference_ms: 41,
  'diversity@10': 0.61,
  'coverage@10': 0.7,
};

describe('validate-model with a metrics file (built dist, runner emulation)', () => {
  it('passes a good model and writes outputs, summary and report', async () => {
    const workspace = workspaceWith({
      'metrics.json': JSON.stringify(GOOD),
      'champion.json': JSON.stringify({ 'ndcg@10': 0.45 }),
      'model/weights.bin': 'abc',
    });
    const run = await runAction({
      action: 'validate-model',
      workspace,
      inputs: {
        metrics: 'metrics.json',
        baseline: 'champion.json',
        thresholds: SEED_THRESHOLDS,
        'model-path': 'model',
        'model-version': 'v7',
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({
      passed: 'true',
      verdict: 'pass',
      'critical-failures': '[]',
      warnings: '[]',
    });
    expect(JSON.parse(run.outputs.metrics ?? '{}')).toEqual(GOOD);
    expect(run.outputs['model-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(run.summary).toContain('### ✅ validate-model: **pass**');
    expect(run.summary).toContain('| ✅ | `ndcg@10` | 0.452 | 0.45 | ≥ 0.42, ≥ baseline −1% |');
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report).toMatchObject({
      schemaVersion: 1,
      action: 'validate-model',
      verdict: 'pass',
      model: { version: 'v7', sha256: run.outputs['model-sha256'], sizeBytes: 3 },
      links: { run: 'https://github.com/octo-org/recsys/actions/runs/4242' },
    });
    expect(report.checks).toHaveLength(6);
    matchReportCorpus('validate-model-metrics-file-pass', run);
  });

  it('fails on a critical rule, reporting which metric failed', async () => {
    const workspace = workspaceWith({
      'metrics.json': JSON.stringify({ ...GOOD, 'ndcg@10': 0.4, 'coverage@10': 0.5 }),
    });
    const run = await runAction({
      action: 'validate-model',
      workspace,
      inputs: { metrics: 'metrics.json', thresholds: SEED_THRESHOLDS },
    });
    expect(expectCleanFailure(run)).toBe('Model validation failed (fail-on: critical): ndcg@10');
    expect(run.outputs).toMatchObject({
      passed: 'false',
      verdict: 'fail',
      'critical-failures': '["ndcg@10"]',
      warnings: '["coverage@10"]',
    });
    expect(run.summary).toContain(
      'No baseline value for ndcg@\u200b10: change rules were skipped and only the bounds applied (first run).',
    );
  });

  it('honours fail-on: warning and never', async () => {
    const workspace = workspaceWith({ 'metrics.json': JSON.stringify({ ...GOOD, 'coverage@10': 0.5 }) });
    const strict = await runAction({
      action: 'validate-model',
      workspace,
      inputs: { metrics: 'metrics.json', thresholds: SEED_THRESHOLDS, 'fail-on': 'warning' },
    });
    expect(expectCleanFailure(strict)).toContain('coverage@10');
    expect(strict.outputs.verdict).toBe('warn');
    const lenient = await runAction({
      action: 'validate-model',
      workspace,
      inputs: { metrics: 'metrics.json', thresholds: 'ndcg@10: {min: 0.9}', 'fail-on': 'never' },
    });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.outputs).toMatchObject({ passed: 'true', verdict: 'fail' });
  });

  it('fails a metric that the rules name but the results lack', async () => {
    const workspace = workspaceWith({ 'metrics.json': JSON.stringify({ 'ndcg@10': 0.5 }) });
    const run = await runAction({
      action: 'validate-model',
      workspace,
      inputs: { metrics: 'metrics.json', thresholds: 'ndcg@10: {min: 0.4}\nrmse: {max: 0.85}' },
    });
    expect(expectCleanFailure(run)).toContain('rmse');
    expect(run.summary).toContain('missing from the results');
  });
});

describe('validate-model bad input', () => {
  const workspace = workspaceWith({
    'metrics.json': JSON.stringify(GOOD),
    'bad.json': '{"ndcg@10": "high"}',
  });
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a missing file',
      { metrics: 'nope.json' },
      /^Input 'metrics' names a file that does not exist \('nope.json'\)/,
    ],
    [
      'a path escaping the workspace',
      { metrics: '../../etc/passwd' },
      /^Input 'metrics' points outside the workspace/,
    ],
    [
      'thresholds that are not YAML',
      { metrics: 'metrics.json', thresholds: 'ndcg@10: [0.4' },
      /^Input 'thresholds' is not valid YAML .*Example: thresholds:/,
    ],
    [
      'an unknown metric in thresholds',
      { metrics: 'metrics.json', thresholds: 'ndgc@10: {min: 0.4}' },
      /^Input 'thresholds' names unknown metric 'ndgc@10'/,
    ],
    [
      'an unknown rule key',
      { metrics: 'metrics.json', thresholds: 'ndcg@10: {minimum: 0.4}' },
      /^Input 'thresholds' is invalid at thresholds.ndcg@10.*minimum/,
    ],
    [
      'k of zero',
      { metrics: 'metrics.json', k: '0' },
      /^Input 'k' must be whole numbers from 1 to 1000, got '0'. Example: k: 5,10,20$/,
    ],
    [
      'a non-numeric metric',
      { metrics: 'bad.json' },
      /^Input 'metrics' file 'bad.json' has a non-numeric value for 'ndcg@10'/,
    ],
    ['no metrics at all', {}, /^Input 'metrics' or `recommendations` must be given/],
    [
      'a bad fail-on',
      { metrics: 'metrics.json', 'fail-on': 'sometimes' },
      /^Input 'fail-on' must be one of critical, warning, never/,
    ],
  ];
  it.each(cases)('rejects %s with one clear error line', async (_, inputs, message) => {
    const run = await runAction({ action: 'validate-model', workspace, inputs });
    expect(expectCleanFailure(run)).toMatch(message);
    expect(run.outputs['report-path']).toBeUndefined();
  });
});
