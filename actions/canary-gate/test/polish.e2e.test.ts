import { readFileSync } from 'node:fs';
import { expectEchoedTokenMasked, runAction } from '@recsys-actions/testkit';
import { runWithEchoingGitHub } from '@recsys-actions/testkit/github/echoing';
import { DEMO_INPUTS as DEMO, recordingOf, workspaceWith } from './helpers';

const runGate = (inputs: Record<string, string>, files: Record<string, string> = {}) =>
  runAction({ action: 'canary-gate', workspace: workspaceWith(files), inputs: { ...DEMO, ...inputs } });

const steady = (canary: [number, number], baseline: [number, number]) =>
  recordingOf(Array.from({ length: 30 }, () => ({ canary, baseline })));

describe('canary-gate on extreme values (built dist)', () => {
  it('treats more errors than requests (1e308 of 1000) as broken data, not a rollback, and writes its report', async () => {
    const run = await runGate(
      { 'source-config': 'path: rec.jsonl' },
      { 'rec.jsonl': steady([1000, 1e308], [1000, 10]) },
    );
    expect(run.errors).toEqual([]);
    expect(run.outputs.verdict).not.toBe('rollback');
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report.checks[0]).toMatchObject({ name: 'error-rate', value: null });
    expect(JSON.stringify(report.details.intervals)).toContain(
      'counts must have events ≤ total, got 1e+308/1000',
    );
  });

  it('reports a value check whose values overflow their average as having no finite average', async () => {
    const recording = steady([1000, 10], [1000, 10]).replace(
      /"role":"canary","series":"latency_p95_seconds","value":0.08/g,
      '"role":"canary","series":"latency_p95_seconds","value":1e308',
    );
    const run = await runGate({ 'source-config': 'path: rec.jsonl' }, { 'rec.jsonl': recording });
    expect(run.outputs.verdict).toBe('rollback');
    expect(run.errors).toEqual([expect.stringMatching(/^The canary gate decided rollback for v2: /)]);
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report.checks[1]).toMatchObject({ name: 'latency-p95', status: 'fail', value: null });
  });
});

describe('canary-gate environment', () => {
  const CHECKS = `- name: error-rate
  type: ratio
  bad: errors_total
  total: requests_total
  max: 0.05
- name: latency
  type: value
  query: 'latency_p95_seconds{env="{{environment}}"}'
  max: 0.25
`;

  it('warns when a query uses {{environment}} and the input was left unset', async () => {
    const run = await runGate(
      { checks: 'checks.yml', 'source-config': 'path: recordings/healthy.jsonl' },
      { 'checks.yml': CHECKS },
    );
    expect(run.warnings).toContain(
      "A query uses {{environment}} but the input 'environment' is not set, so it is filled with 'production'. Set it to the environment this canary runs in, e.g. environment: staging",
    );
  });

  it('says nothing when the input is set, or when no query uses it', async () => {
    const set = await runGate(
      { checks: 'checks.yml', environment: 'staging', 'source-config': 'path: recordings/healthy.jsonl' },
      { 'checks.yml': CHECKS },
    );
    expect(set.warnings.filter((warning) => warning.includes('{{environment}}'))).toEqual([]);
    const unused = await runGate({ 'source-config': 'path: recordings/healthy.jsonl' });
    expect(unused.warnings).toEqual([]);
    expect(unused.outputs.verdict).toBe('promote');
    expect(unused.stdout).toContain('canary-gate: promote. Promote v2: ');
    expect(unused.stdout).toMatch(/::group::Intervals of v2 against v1\n(Interval \d+: .*\n)+::endgroup::/);
  });
});

describe('canary-gate masks its token', () => {
  it('also when a GitHub error echoes it', async () => {
    const token = 'ghs_emulated';
    const run = await runWithEchoingGitHub({
      action: 'canary-gate',
      workspace: workspaceWith(),
      inputs: { ...DEMO, 'source-config': 'path: recordings/healthy.jsonl', comment: 'true' },
      token,
    });
    expect(run.exitCode).toBe(0);
    expectEchoedTokenMasked(run, token);
  });
});

describe('canary-gate source-config for another source', () => {
  it('names the source input, and an example it accepts, when source-config is a Prometheus config', async () => {
    const run = await runGate({ source: '', 'source-config': 'address: http://prometheus:9090' });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toEqual([
      "Input 'source' is 'file', but source-config is a prometheus config; set the source input. Example: source: prometheus",
    ]);
  });

  it('shows an example without `source:` when source-config is wrong for its own source', async () => {
    const run = await runGate({ 'source-config': 'pth: rec.jsonl' });
    expect(run.errors[0]).toMatch(/^Input 'source-config' .*Example: source-config: \{ path: /);
  });
});
