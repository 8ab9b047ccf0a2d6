import { readFileSync } from 'node:fs';
import { expectCleanFailure, matchReportCorpus, runAction } from '@recsys-actions/testkit';
import { DEMO_INPUTS as DEMO, recordingOf, workspaceWith } from './helpers';

const runGate = (inputs: Record<string, string>, files: Record<string, string> = {}) =>
  runAction({ action: 'canary-gate', workspace: workspaceWith(files), inputs: { ...DEMO, ...inputs } });

describe('canary-gate replaying recordings (built dist)', () => {
  it('promotes a canary as good as its baseline before max-duration', async () => {
    const run = await runGate({ 'source-config': 'path: recordings/healthy.jsonl' });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.verdict).toBe('promote');
    expect(JSON.parse(run.outputs['failed-checks'] ?? '')).toEqual([]);
    const evidence = JSON.parse(run.outputs.evidence ?? '{}');
    expect(evidence['error-rate'].sequential.promoteEValue).toBeGreaterThanOrEqual(20);
    expect(evidence['error-rate'].canary.rate).toBeCloseTo(0.01, 2);
    expect(evidence['error-rate'].intervals.withData).toBeLessThan(30);
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report).toMatchObject({
      action: 'canary-gate',
      verdict: 'promote',
      environment: 'production',
      model: { version: 'v2', baselineVersion: 'v1' },
      details: { analysis: 'sequential', evidence },
    });
    expect(report.title).toMatch(/^Promote v2: every ratio check is within tolerance at alpha 0\.05/);
    expect(report.details.intervals).toHaveLength(evidence['error-rate'].intervals.withData);
    expect(report.notes).toContain(
      'Metrics were replayed from the recording recordings/healthy.jsonl, not read live.',
    );
    expect(run.summary).toContain('### ✅ canary-gate: **promote**');
    expect(run.summary).toContain('#### error-rate: canary vs baseline\n\n```mermaid\n');
    expect(run.summary).toContain('#### latency-p95: canary vs baseline\n\n```mermaid\n');
    expect(run.summary).toContain('xychart-beta');
    matchReportCorpus('canary-gate-recordings-promote', run);
  });

  it('rolls back a canary with twice the error rate and fails the step with one error', async () => {
    const run = await runGate({ 'source-config': 'path: recordings/regressing.jsonl' });
    expect(expectCleanFailure(run)).toMatch(
      /^The canary gate decided rollback for v2: error-rate is worse than baseline beyond its tolerance: canary 0\.02\d* vs baseline 0\.0\d+, e-value [\d.]+ ≥ 1\/alpha = 20$/,
    );
    expect(run.outputs.verdict).toBe('rollback');
    expect(JSON.parse(run.outputs['failed-checks'] ?? '')).toEqual(['error-rate']);
    const evidence = JSON.parse(run.outputs.evidence ?? '{}');
    expect(evidence['error-rate'].ratio).toBeGreaterThan(1.8);
    expect(evidence['error-rate'].ratio).toBeLessThan(2.5);
    expect(evidence['error-rate'].sequential.rollbackEValue).toBeGreaterThanOrEqual(20);
    expect(run.summary).toContain('### ❌ canary-gate: **rollback**');
    expect(run.summary).toContain('| ❌ | `error-rate` |');
    matchReportCorpus('canary-gate-recordings-rollback', run);
  });

  it.each([
    ['healthy.jsonl', 'promote', /^Promote v2: score 100 reaches pass 75\.$/],
    [
      'regressing.jsonl',
      'rollback',
      /^Roll back v2: critical check error-rate is High: significantly higher/,
    ],
  ])('judges %s at the end of the window under compare analysis: %s', async (file, verdict, title) => {
    const run = await runGate({ 'source-config': `path: recordings/${file}`, analysis: 'compare' });
    expect(run.outputs.verdict).toBe(verdict);
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report.title).toMatch(title);
    expect(report.details.intervals).toHaveLength(30);
    expect(JSON.parse(run.outputs.evidence ?? '{}')['error-rate'].compare.classification).toBe(
      verdict === 'promote' ? 'Pass' : 'High',
    );
  });

  it('reports a rollback without failing the step when fail-on-rollback is false', async () => {
    const run = await runGate({
      'source-config': 'path: recordings/regressing.jsonl',
      'fail-on-rollback': 'false',
    });
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs.verdict).toBe('rollback');
  });

  it('is inconclusive, saying "no data" plainly, when the canary gets no traffic', async () => {
    const idle = recordingOf(
      Array.from({ length: 10 }, () => ({
        canary: [0, 0] as [number, number],
        baseline: [3000, 30] as [number, number],
      })),
    );
    const run = await runGate({ 'source-config': 'path: idle.jsonl' }, { 'idle.jsonl': idle });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.verdict).toBe('inconclusive');
    expect(run.summary).toContain('### ⚠️ canary-gate: **inconclusive**');
    expect(run.summary).toContain(
      'No verdict on v2: no data for error-rate in 5 intervals (inconclusive-limit 5).',
    );
    expect(run.summary).toContain(
      'error-rate had no data in 5 of 5 intervals: check that both versions get traffic and that the queries match their labels.',
    );
    expect(run.summary).toContain('No data to chart: none of the 5 intervals had data');
    expect(JSON.parse(run.outputs.evidence ?? '{}')['error-rate']).toMatchObject({
      canary: { rate: null, total: 0 },
      intervals: { withData: 0, noData: 5 },
    });
  });
});

describe('canary-gate bad input', () => {
  const healthy = { 'source-config': 'path: recordings/healthy.jsonl' };
  const cases: [string, Record<string, string>, Record<string, string>, RegExp][] = [
    [
      'a ratio check with neither bad nor good',
      { ...healthy, checks: '- {name: errors, type: ratio, total: requests_total}' },
      {},
      /^Input 'checks' is invalid at checks\[0\]\.bad: set exactly one of bad \(e\.g\. errors\) or good/,
    ],
    [
      'an unknown check type',
      { ...healthy, checks: '- {name: errors, type: histogram, query: x}' },
      {},
      /^Input 'checks' is invalid at checks\[0\]\.type: type must be one of ratio, value/,
    ],
    [
      'a Prometheus address that is not a URL',
      { source: 'prometheus', 'source-config': 'address: prometheus:9090' },
      {},
      /^Input 'source-config' for source 'prometheus' is invalid at source-config\.address: must be an http\(s\) URL/,
    ],
    [
      'an undefined template placeholder',
      {
        source: 'prometheus',
        'source-config': 'address: http://127.0.0.1:9',
        checks: '- {name: p95, type: value, query: "latency{version=\\"{{canary}}\\"}", max: 1}',
      },
      {},
      /^Input 'checks\[0\]\.query' uses the unknown placeholder \{\{canary\}\}; the defined placeholders are \{\{version\}\}/,
    ],
    [
      'a recording line that is not JSON',
      { 'source-config': 'path: broken.jsonl' },
      { 'broken.jsonl': '{"t": 1, "role": "canary", "series": "requests_total", "value": 1}\n\n{"t": 2,\n' },
      /^broken\.jsonl \(line 3\): is not valid JSON/,
    ],
    [
      'alpha above 0.5',
      { ...healthy, alpha: '0.7' },
      {},
      /^Input 'alpha' must be in \(0, 0\.5\], got 0\.7\. Example: alpha: 0\.05$/,
    ],
    ['alpha of 0', { ...healthy, alpha: '0' }, {}, /^Input 'alpha' must be in \(0, 0\.5\], got 0\./],
    [
      'a recording outside the workspace',
      { 'source-config': 'path: ../../etc/passwd' },
      {},
      /^Input 'source-config' points outside the workspace/,
    ],
    [
      'a series the recording lacks',
      { ...healthy, checks: '- {name: ctr, type: ratio, good: clicks_total, total: requests_total}' },
      {},
      /^Input 'checks\[0\]\.good' names the series 'clicks_total', which the recording .* does not contain/,
    ],
    [
      'max-duration shorter than min-intervals',
      { ...healthy, 'max-duration': '2m' },
      {},
      /^Input 'max-duration' allows 2 intervals, fewer than min-intervals \(3\)/,
    ],
    [
      'a version that would break a query',
      { ...healthy, 'canary-version': 'v2"}' },
      {},
      /^Input 'canary-version' must not contain quotes, backslashes or line breaks/,
    ],
    [
      'basic auth without a password separator',
      {
        source: 'prometheus',
        'source-config': 'address: http://127.0.0.1:9',
        'source-basic-auth': 's3cr3t-token',
      },
      {},
      /^Input 'source-basic-auth' must be user:password/,
    ],
    [
      'a ratio check tolerance under threshold analysis, which cannot apply it',
      {
        ...healthy,
        analysis: 'threshold',
        checks:
          '- {name: errors, type: ratio, bad: errors_total, total: requests_total, max: 0.02, tolerance: 0.2}',
      },
      {},
      /^Input 'checks' is invalid at checks\[0\]: ratio check errors sets tolerance 0\.2, which analysis: threshold cannot apply .*; remove tolerance and set max or min, or use analysis: sequential or compare\. Example: /,
    ],
    [
      'a token for a recording',
      { ...healthy, 'source-token': 's3cr3t-token' },
      {},
      /^Input 'source-token' only applies to source prometheus/,
    ],
  ];
  it.each(cases)('rejects %s with one clear error line', async (_, inputs, files, message) => {
    const run = await runGate(inputs, files);
    expect(expectCleanFailure(run)).toMatch(message);
    expect(run.outputs['report-path']).toBeUndefined();
    // The runner hides a masked value everywhere; only the ::add-mask:: command itself may carry it.
    const visible = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(visible.join('\n')).not.toContain('s3cr3t-token');
  });
});
