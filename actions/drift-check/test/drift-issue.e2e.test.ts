import { matchReportCorpus, runAction, workspaceWith, type ActionRun } from '@recsys-actions/testkit';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { readFileSync } from 'node:fs';
import { featuresCsv, HOSTILE_COLUMN } from './data';

const REFERENCE = featuresCsv(1, false);

describe('drift-check issue lifecycle and dispatch (OpenAPI-validated GitHub emulator)', () => {
  let github: GitHubEmulator;
  beforeAll(async () => {
    github = await startGitHubEmulator();
  });
  afterAll(() => github.close());

  const check = (current: string, inputs: Record<string, string> = {}): Promise<ActionRun> =>
    runAction({
      action: 'drift-check',
      workspace: workspaceWith({ 'data/reference.csv': REFERENCE, 'data/current/day.csv': current }),
      inputs: {
        reference: 'data/reference.csv',
        current: 'data/current/*.csv',
        'issue-labels': 'drift, ml',
        'dispatch-event': 'retrain',
        ...inputs,
      },
      token: 'ghs_emulated',
      env: { GITHUB_API_URL: github.url },
    });
  const openIssues = () => github.issues().filter((issue) => issue.state === 'open');

  it('opens one issue on drift, comments on it while drift lasts and closes it once drift is gone', async () => {
    const first = await check(featuresCsv(2, true));
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({
      'drift-detected': 'true',
      'drift-share': '0.75',
      'issue-number': '1',
    });
    expect(JSON.parse(first.outputs['drifted-columns'] ?? '')).toEqual(
      expect.arrayContaining(['price', 'category', HOSTILE_COLUMN]),
    );
    expect(openIssues()).toHaveLength(1);
    const [issue] = openIssues();
    expect(issue).toMatchObject({
      number: 1,
      title: 'Data drift in production/features',
      labels: ['drift', 'ml'],
    });
    expect(issue?.body).toMatch(
      /^<!-- recsys-actions:drift:production:features -->\n### Data drift on \d{4}-\d{2}-\d{2}/,
    );
    expect(issue?.body).toContain(`\`${HOSTILE_COLUMN}\``);
    expect(issue?.body?.replace(/`[^`]*`/g, '').replace(/```mermaid[\s\S]*?```/g, '')).not.toMatch(
      /@octo|<img|\]\(https:\/\/evil/,
    );
    expect(issue?.body).toContain('[Run](https://github.com/octo-org/recsys/actions/runs/4242)');

    const second = await check(featuresCsv(3, true));
    expect(second.outputs['issue-number']).toBe('1');
    expect(openIssues().map((open) => open.number)).toEqual([1]);
    expect(github.comments(1)).toHaveLength(1);
    expect(github.comments(1)[0]?.body).toMatch(
      /^### Data drift on .*\n\n`production\/features`: 3 of 4 columns drifted/,
    );

    const third = await check(featuresCsv(4, false));
    expect(third.exitCode).toBe(0);
    expect(third.outputs).toMatchObject({ 'drift-detected': 'false', 'issue-number': '1' });
    expect(openIssues()).toEqual([]);
    expect(github.issues()[0]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(github.comments(1).at(-1)?.body).toMatch(/^No dataset drift on .*Closing this issue\./);

    const fourth = await check(featuresCsv(5, false));
    expect(fourth.outputs['issue-number']).toBeUndefined();
    expect(github.issues()).toHaveLength(1);
    expect(github.comments(1)).toHaveLength(2);

    // A dispatch for each run that found drift, none for the others.
    const dispatches = github.dispatches();
    expect(dispatches.map((dispatch) => dispatch.eventType)).toEqual(['retrain', 'retrain']);
    expect(dispatches[0]?.clientPayload).toEqual({
      environment: 'production',
      dataset: 'features',
      drift_share: 0.75,
      drifted_columns: JSON.parse(first.outputs['drifted-columns'] ?? ''),
      drifted_column_count: 3,
      run_url: 'https://github.com/octo-org/recsys/actions/runs/4242',
      sha: 'ffac537e6cbbf934b08745a378932722df287a53',
    });
    expect(github.rejected).toEqual([]);
    expect(github.faults).toEqual([]);
  });

  it('reports drift in the summary, the report and the outputs, and fails only with fail-on-drift', async () => {
    const run = await check(featuresCsv(6, true), { 'fail-on-drift': 'true', dataset: 'clicks' });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toEqual([
      'Dataset drift in production/clicks (fail-on-drift: true): 3 of 4 columns drifted (75 %).',
    ]);
    expect(run.summary).toContain('drift-check: **drift**');
    expect(run.summary).toContain('#### Columns by drift score');
    expect(run.summary).toMatch(/```mermaid\n%%\{init: .*\}%%\nxychart-beta/);
    expect(run.summary).toContain('#### Prediction drift');
    expect(run.summary).toMatch(
      /The reference profile was computed from the reference files \(not found in the Actions cache\)/,
    );

    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report).toMatchObject({ action: 'drift-check', verdict: 'drift', environment: 'production' });
    expect(report.details).toMatchObject({
      dataset: 'clicks',
      driftShare: 0.75,
      profileSource: 'computed',
      rows: { reference: 400, current: 400, skippedBadRows: 0 },
    });
    expect(report.details.issueNumber).toBe(Number(run.outputs['issue-number']));
    expect(report.details.prediction).toMatchObject({ column: 'prediction', drifted: true });
    expect(report.details.columns[0]).not.toHaveProperty('histogram');
    expect(report.checks[0]).toMatchObject({ name: 'dataset drift', status: 'fail' });
    matchReportCorpus('drift-check-drift-issue-drift', run);
    // The clicks dataset has an issue of its own.
    expect(openIssues().map((issue) => issue.title)).toEqual(['Data drift in production/clicks']);
  });

  it('warns once and carries on when the Actions cache is unavailable', async () => {
    const run = await check(featuresCsv(7, false), { 'create-issue': 'false', 'dispatch-event': '' });
    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([expect.stringMatching(/^The Actions cache service is not available/)]);
  });

  it('touches no issue with create-issue: false and sends nothing without drift', async () => {
    const before = github.requests.length;
    const run = await check(featuresCsv(8, true), {
      'create-issue': 'false',
      'dispatch-event': '',
      'cache-reference': 'false',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['drift-detected']).toBe('true');
    expect(run.outputs['issue-number']).toBeUndefined();
    expect(run.warnings).toEqual([]);
    expect(run.summary).toContain('cache-reference: false');
    expect(github.requests.length).toBe(before);
  });
});
