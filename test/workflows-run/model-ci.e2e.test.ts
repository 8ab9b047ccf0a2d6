// The model CI run whole by the workflow runner: the starter template (workflows-templates/
// recsys-model-ci.yml) exactly as shipped, on a pull_request event, calling .github/workflows/model-ci.yml,
// which runs the built validate-model and writes its sticky comment on the GitHub emulator's pull request.
//
// How the data was chosen: the bundled sample model of `pnpm demo` (demo/data: recommendations.csv,
// ground-truth.csv with ratings, predictions.csv; demo/champion/metrics.json as the baseline), committed
// under sample/ and copied by the evaluation to the paths the template names under eval/. It passes the
// template's gates as shipped (precision@10 0.47, ndcg@10 0.84, rmse under 0.85). The failing run commits a
// worse model: the same predictions each 1.5 too high, which keeps the ranking (so ndcg and precision still
// pass) but takes rmse past the template's `max: 0.85`.
// The template's setup, lint, test and evaluate commands run as stand-ins (see TOOLS), since CI machines
// have no Python; the test checks that the workflow ran each of them as the template wrote it.
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import type { CommentRecord } from '@recsys-actions/testkit/github/state';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWorkflow, type WorkflowResult } from '../../tools/workflow-runner/src/index';
import { commitFiles, demoFile, modelRepo, standInCommands, templatePath } from './model-repo';

/**
 * The template's commands. CI machines guarantee only Node and npm, so Python and its tools are stand-ins:
 * pip, ruff and pytest succeed, and `python evaluate.py --out DIR` does what the user's evaluation would,
 * writing the files validate-model reads (from the repository's sample/ folder) into DIR.
 */
const TOOLS = {
  pip: '',
  ruff: '',
  pytest: '',
  python: `[ "$1 $2" = "evaluate.py --out" ]
mkdir -p "$3"
cp sample/recommendations.csv sample/ground-truth.csv "$3"
cp sample/predictions.csv "$3/rating-predictions.csv"`,
};

const PR = 7;
const HEAD_SHA = 'ffac537e6cbbf934b08745a378932722df287a53';
const PULL_REQUEST_EVENT = {
  action: 'synchronize',
  number: PR,
  pull_request: {
    number: PR,
    html_url: `https://github.com/octo-org/recsys/pull/${PR}`,
    head: { sha: HEAD_SHA },
  },
};

/** demo/data/predictions.csv with every prediction raised by `offset`. */
function predictionsRaisedBy(offset: number): string {
  const [header, ...rows] = demoFile('data/predictions.csv').trim().split('\n');
  const raised = rows.map((row) => {
    const [user, item, prediction] = row.split(',');
    return `${user},${item},${(Number(prediction) + offset).toFixed(3)}`;
  });
  return `${[header, ...raised].join('\n')}\n`;
}

describe('model-ci run whole: the starter template on the sample model', () => {
  const tools = standInCommands(TOOLS);
  let github: GitHubEmulator;
  let repo: string;
  let passingComment: CommentRecord | undefined;
  beforeAll(async () => {
    github = await startGitHubEmulator();
    github.addPullRequest({ number: PR, headSha: HEAD_SHA });
    repo = modelRepo({
      '.github/workflows/ci.yml': readFileSync(templatePath('recsys-model-ci'), 'utf8'),
      'sample/recommendations.csv': demoFile('data/recommendations.csv'),
      'sample/ground-truth.csv': demoFile('data/ground-truth.csv'),
      'sample/predictions.csv': demoFile('data/predictions.csv'),
      'champion/metrics.json': demoFile('champion/metrics.json'),
    });
  });
  afterAll(() => github.close());

  const runPullRequest = (): Promise<WorkflowResult> =>
    runWorkflow(join(repo, '.github/workflows/ci.yml'), {
      event: 'pull_request',
      eventPayload: PULL_REQUEST_EVENT,
      repo,
      secrets: { GITHUB_TOKEN: 'ghs_emulated' },
      env: { GITHUB_API_URL: github.url, PATH: tools.path },
      log: () => undefined,
    });
  const validateLeg = (result: WorkflowResult) => result.jobs['model-ci']?.workflow?.jobs.validate?.legs[0];

  it('passes the gates and writes one sticky comment on the pull request', async () => {
    const result = await runPullRequest();
    const steps = validateLeg(result)?.steps ?? [];
    expect(steps.map((step) => [step.name, step.conclusion])).toEqual([
      [expect.any(String), 'success'],
      ['Set up', 'success'],
      ['Lint', 'success'],
      ['Test', 'success'],
      ['Evaluate', 'success'],
      [expect.any(String), 'success'],
    ]);
    expect(result.conclusion).toBe('success');
    expect(result.jobs['model-ci']?.outputs.verdict).toBe('pass');
    expect(tools.calls()).toEqual([
      'pip install -r requirements.txt',
      'ruff check .',
      'pytest -q',
      'python evaluate.py --out eval/',
    ]);
    const report = JSON.parse(result.jobs['model-ci']?.outputs.report ?? '{}');
    expect(
      report.checks.map((check: { name: string; status: string }) => [check.name, check.status]),
    ).toEqual(
      expect.arrayContaining([
        ['rmse', 'pass'],
        ['precision@10', 'pass'],
        ['ndcg@10', 'pass'],
      ]),
    );
    expect(github.comments(PR)).toEqual([
      expect.objectContaining({ body: expect.stringMatching(/^<!-- recsys-actions:validate-model/) }),
    ]);
    expect(github.comments(PR)[0]?.body).toContain('ndcg@10');
    passingComment = github.comments(PR)[0];
    expect(github.rejected).toEqual([]);
  });

  it('fails the run with the gate error when a threshold fails, and updates the same comment', async () => {
    commitFiles(repo, { 'sample/predictions.csv': predictionsRaisedBy(1.5) }, 'a worse model');
    const result = await runPullRequest();
    expect(result.conclusion).toBe('failure');
    expect(result.jobs['model-ci']?.outputs.verdict).toBe('fail');
    const validate = validateLeg(result)?.steps.find((step) => step.id === 'validate');
    expect(validate?.conclusion).toBe('failure');
    expect(validate?.errors[0]).toBe('Model validation failed (fail-on: critical): rmse');
    const report = JSON.parse(result.jobs['model-ci']?.outputs.report ?? '{}');
    expect(report.checks).toContainEqual(
      expect.objectContaining({ name: 'rmse', status: 'fail', threshold: '≤ 0.85' }),
    );
    const [comment] = github.comments(PR);
    expect(github.comments(PR)).toHaveLength(1);
    expect(comment?.id).toBe(passingComment?.id);
    expect(comment?.body).not.toBe(passingComment?.body);
    expect(comment?.body).toMatch(/rmse/);
    expect(github.rejected).toEqual([]);
    expect(github.faults).toEqual([]);
  });
});
