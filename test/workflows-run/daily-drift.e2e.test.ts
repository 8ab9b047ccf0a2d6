// The daily drift check run whole by the workflow runner: the starter template (workflows-templates/
// recsys-daily-drift.yml) exactly as shipped, calling .github/workflows/daily-drift.yml, which runs the built
// drift-check and notify-slack against the GitHub emulator and the Slack receiver.
//
// How the data was chosen: the bundled demo data (demo/data, what `pnpm demo` checks for drift). Its
// reference.csv is the training reference, and its current.csv is production traffic that the demo reports
// as drifted. The template reads Parquet, so the rows are converted to
// Parquet and committed as the day's "warehouse" export, which the fetch command copies into data/. Day 1 is
// the first half of current.csv and day 2 its second half: both drifted, as separate days. Day 3 is the
// second half of the reference itself, a sample of the training distribution that cannot drift from it.
import { repoRoot } from '@recsys-actions/testkit';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWorkflow, type WorkflowResult } from '../../tools/workflow-runner/src/index';
import {
  commitFiles,
  csvToParquet,
  demoFile,
  githubAndSlack,
  modelRepo,
  standInCommands,
  templatePath,
} from './model-repo';

/**
 * The template's `python fetch_data.py --out data/`. CI machines guarantee only Node and npm, so python is a
 * stand-in doing what the user's download script would: copy the day's warehouse export into data/.
 */
const TOOLS = {
  python: `[ "$1 $2" = "fetch_data.py --out" ]
mkdir -p "$3/reference" "$3/current"
cp warehouse/reference.parquet "$3/reference/"
cp warehouse/current.parquet "$3/current/"`,
};

const csvLines = (path: string) => demoFile(path).trim().split('\n');
const [header = '', ...referenceRows] = csvLines('data/reference.csv');
const currentRows = csvLines('data/current.csv').slice(1);
const half = (rows: string[], which: 0 | 1) =>
  which === 0 ? rows.slice(0, rows.length / 2) : rows.slice(rows.length / 2);
const warehouseDay = (rows: string[]) => ({ 'warehouse/current.parquet': csvToParquet([header, ...rows]) });

const DRIFTED_DAY_1 = warehouseDay(half(currentRows, 0));
const DRIFTED_DAY_2 = warehouseDay(half(currentRows, 1));
const CLEAN_DAY = warehouseDay(half(referenceRows, 1));

describe('daily-drift run whole: the starter template on the demo data', () => {
  const tools = standInCommands(TOOLS);
  let github: GitHubEmulator;
  let repo: string;
  beforeAll(async () => {
    github = await startGitHubEmulator();
    repo = modelRepo({
      '.github/workflows/drift.yml': readFileSync(templatePath('recsys-daily-drift'), 'utf8'),
      'warehouse/reference.parquet': csvToParquet([header, ...referenceRows]),
      ...DRIFTED_DAY_1,
    });
  });
  afterAll(() => github.close());

  const runDay = async (): Promise<{ result: WorkflowResult; log: string[] }> => {
    const log: string[] = [];
    const result = await runWorkflow(join(repo, '.github/workflows/drift.yml'), {
      event: 'schedule',
      repo,
      secrets: { GITHUB_TOKEN: 'ghs_emulated' },
      env: { GITHUB_API_URL: github.url, PATH: tools.path },
      log: (line) => log.push(line),
    });
    return { result, log };
  };
  const driftStep = (result: WorkflowResult) =>
    result.jobs.drift?.workflow?.jobs.drift?.legs[0]?.steps.find((step) => step.id === 'drift');
  const openIssues = () => github.issues().filter((issue) => issue.state === 'open');

  it('opens one issue on a drifted day, updates it the next drifted day and closes it on a clean day', async () => {
    const first = await runDay();
    expect(first.result.conclusion).toBe('success');
    expect(driftStep(first.result)?.outputs).toMatchObject({ 'drift-detected': 'true', 'issue-number': '1' });
    expect(first.result.jobs.drift?.outputs.verdict).toBe('drift');
    expect(openIssues()).toEqual([
      expect.objectContaining({ number: 1, title: 'Data drift in production/features', labels: ['drift'] }),
    ]);
    expect(openIssues()[0]?.body).toMatch(
      /^<!-- recsys-actions:drift:production:features -->\n### Data drift/,
    );
    // The template sends Slack alerts only with its SLACK_BOT_TOKEN secret; without it the run still passes.
    expect(first.log.join('\n')).toMatch(/warning: Slack message not sent \(errors: false\)/);

    commitFiles(repo, DRIFTED_DAY_2, 'day 2');
    const second = await runDay();
    expect(second.result.conclusion).toBe('success');
    expect(driftStep(second.result)?.outputs['issue-number']).toBe('1');
    expect(openIssues().map((issue) => issue.number)).toEqual([1]);
    expect(github.comments(1)).toEqual([
      expect.objectContaining({ body: expect.stringMatching(/^### Data drift on /) }),
    ]);

    commitFiles(repo, CLEAN_DAY, 'day 3');
    const third = await runDay();
    expect(third.result.conclusion).toBe('success');
    expect(third.result.jobs.drift?.outputs.verdict).toBe('no-drift');
    expect(openIssues()).toEqual([]);
    expect(github.issues()[0]).toMatchObject({ number: 1, state: 'closed', stateReason: 'completed' });
    expect(github.comments(1).at(-1)?.body).toMatch(/^No dataset drift on .*Closing this issue\./);

    expect(tools.calls()).toEqual(Array(3).fill('python fetch_data.py --out data/'));
    // The template's dispatch-event: retrain, once per drifted day.
    expect(github.dispatches().map((dispatch) => dispatch.eventType)).toEqual(['retrain', 'retrain']);
    expect(github.rejected).toEqual([]);
    expect(github.faults).toEqual([]);
  });
});

describe('daily-drift run whole: the Slack alert reaches Slack', () => {
  const CHANNEL = 'C0123456789';
  const services = githubAndSlack(CHANNEL);

  it('posts the drift report to the channel with the slack-token secret', async () => {
    const { github, slack } = services;
    const repo = modelRepo({
      'data/reference.csv': demoFile('data/reference.csv'),
      'data/current.csv': demoFile('data/current.csv'),
    });
    const result = await runWorkflow(join(repoRoot(), '.github/workflows/daily-drift.yml'), {
      event: 'workflow_call',
      repo,
      inputs: {
        reference: 'data/reference.csv',
        current: 'data/current.csv',
        'slack-channel': CHANNEL,
        'slack-api-url': slack.apiUrl,
        'slack-allowed-hosts': slack.host,
      },
      secrets: { GITHUB_TOKEN: 'ghs_emulated', 'slack-token': slack.token },
      env: { GITHUB_API_URL: github.url, NODE_EXTRA_CA_CERTS: services.certificate.certPath },
      log: () => undefined,
    });
    expect(result.conclusion).toBe('success');
    expect(result.outputs.verdict).toBe('drift');
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]?.channel).toBe(CHANNEL);
    expect(JSON.stringify(slack.messages[0]?.payload)).toContain('production/features');
    expect(github.issues()).toHaveLength(1);
  });
});

describe('daily-drift run whole with shards: a matrix profiles, one job merges and judges', () => {
  let github: GitHubEmulator;
  beforeAll(async () => {
    github = await startGitHubEmulator();
  });
  afterAll(() => github.close());

  const thirds = (rows: string[], part: number) => rows.filter((_, i) => i % 3 === part);
  const run = (repo: string, inputs: Record<string, string>, rerunOf?: WorkflowResult) =>
    runWorkflow(join(repoRoot(), '.github/workflows/daily-drift.yml'), {
      event: 'workflow_call',
      repo,
      inputs: { reference: 'data/reference.csv', 'dispatch-event': '', ...inputs },
      secrets: { GITHUB_TOKEN: 'ghs_emulated' },
      env: { GITHUB_API_URL: github.url },
      ...(rerunOf === undefined ? {} : { rerunOf }),
      log: () => undefined,
    });
  const columnsOf = (result: WorkflowResult) =>
    (
      JSON.parse(result.outputs.report ?? '{}') as {
        details: { columns: { column: string; method: string; drifted: boolean; statistic: number }[] };
      }
    ).details.columns;

  it('profiles three shards in parallel legs and decides as one job reading the whole file does', async () => {
    const repo = modelRepo({
      'data/reference.csv': demoFile('data/reference.csv'),
      'data/current.csv': demoFile('data/current.csv'),
      ...Object.fromEntries(
        [0, 1, 2].map((part) => [
          `data/current-${part}.csv`,
          `${[header, ...thirds(currentRows, part)].join('\n')}\n`,
        ]),
      ),
    });
    const shards = JSON.stringify(['data/current-0.csv', 'data/current-1.csv', 'data/current-2.csv']);
    const sharded = await run(repo, { shards });
    expect(sharded.conclusion).toBe('success');
    expect(sharded.jobs.profile?.legs.map((leg) => leg.conclusion)).toEqual([
      'success',
      'success',
      'success',
    ]);
    const whole = await run(repo, { current: 'data/current.csv' });
    expect(whole.conclusion).toBe('success');
    expect(whole.jobs.profile?.conclusion).toBe('skipped');
    expect(sharded.outputs.verdict).toBe('drift');
    expect(sharded.outputs.verdict).toBe(whole.outputs.verdict);
    const expected = columnsOf(whole);
    const actual = columnsOf(sharded);
    expect(actual.map(({ column, method, drifted }) => [column, method, drifted])).toEqual(
      expected.map(({ column, method, drifted }) => [column, method, drifted]),
    );
    // Category order differs between shards, so sums may differ in the last bits.
    for (const [i, column] of actual.entries())
      expect(column.statistic).toBeCloseTo(expected[i]?.statistic ?? NaN, 12);

    // "Re-run all jobs": the run's artifacts are there already, and each leg uploads its profile again.
    const rerun = await run(repo, { shards }, sharded);
    expect(rerun.conclusion).toBe('success');
    expect(columnsOf(rerun)).toEqual(actual);
  });
});
