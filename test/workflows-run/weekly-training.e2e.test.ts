// The weekly training run whole by the workflow runner: .github/workflows/weekly-training.yml called with
// stand-in training and evaluation scripts, then the starter template (workflows-templates/
// recsys-weekly-training.yml) with only its outside-reaching values (the Prometheus address, Slack) replaced.
// Each run trains, passes validate-model, keeps the model as an artifact and releases it through
// canary-release with the file router, which pushes every traffic step to a bare origin's main.
//
// How the data was chosen: the bundled sample model of `pnpm demo`. "Training" copies demo/model/weights.bin
// into the model folder and "evaluation" copies demo/data's recommendations, held-out interactions and rating
// predictions, with demo/model/serving-metrics.json, to where the workflow reads them; they pass demo/gates.yml
// against demo/champion/metrics.json, as in `pnpm demo`. The canary gate reads demo/recordings/healthy.jsonl
// (file source), a canary as good as its baseline, so every step passes and the release promotes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import {
  runWorkflow,
  type RunWorkflowOptions,
  type WorkflowResult,
} from '../../tools/workflow-runner/src/index';
import { bareOrigin, demoFile, mainOf, standInCommands, templatePath, V1_LIVE_TRAFFIC } from './model-repo';

const CHECKS = demoFile('recordings/checks.yml');

/** A user's training and evaluation, as scripts in the repository: what they write comes from demo/. */
const SCRIPTS = {
  'train.sh': 'mkdir -p "$1" && cp sample/weights.bin "$1/weights.bin"\n',
  'evaluate.sh': `mkdir -p "$1"
cp sample/recommendations.csv sample/ground-truth.csv sample/predictions.csv sample/serving-metrics.json "$1"
`,
};

/** The model repository before the release: v1 serves all of production, and the sample model's files. */
const REPOSITORY = {
  'traffic/production.json': V1_LIVE_TRAFFIC,
  'recordings/healthy.jsonl': demoFile('recordings/healthy.jsonl'),
  'sample/weights.bin': readFileSync(join(repoRoot(), 'demo/model/weights.bin')),
  'sample/serving-metrics.json': demoFile('model/serving-metrics.json'),
  'sample/recommendations.csv': demoFile('data/recommendations.csv'),
  'sample/ground-truth.csv': demoFile('data/ground-truth.csv'),
  'sample/predictions.csv': demoFile('data/predictions.csv'),
  'champion/metrics.json': demoFile('champion/metrics.json'),
  'gates.yml': demoFile('gates.yml'),
  ...SCRIPTS,
};

const trainLeg = (result: WorkflowResult) => result.jobs.train?.legs[0];
const releaseRun = (result: WorkflowResult) => result.jobs.release?.workflow;

describe('weekly-training.yml run whole: train, validate, keep the model, release it', () => {
  let origin: string;
  let result: WorkflowResult;
  let deploys: string[];
  let options: RunWorkflowOptions;
  const log: string[] = [];
  beforeAll(async () => {
    origin = bareOrigin(REPOSITORY);
    const deployLog = join(mkdtempSync(join(tmpdir(), 'weekly-deploys-')), 'deploys.log');
    options = {
      event: 'workflow_call',
      repo: origin,
      inputs: {
        'train-command': 'bash train.sh model',
        'evaluate-command': 'bash evaluate.sh eval',
        'model-path': 'model/',
        'model-version': 'v2',
        metrics: 'eval/serving-metrics.json',
        recommendations: 'eval/recommendations.csv',
        interactions: 'eval/ground-truth.csv',
        'rating-predictions': 'eval/predictions.csv',
        thresholds: 'gates.yml',
        baseline: 'champion/metrics.json',
        'stable-version': 'v1',
        source: 'file',
        'source-config': 'path: recordings/healthy.jsonl',
        checks: CHECKS,
        ledger: 'file',
        // Records what it was given and the traffic file it found: the split before the first step.
        'deploy-command': `echo "$RECSYS_VERSION|$RECSYS_MODEL_PATH|$RECSYS_SPLIT|$(tr -d '\\n' < traffic/production.json)" >> ${deployLog}`,
      },
      log: (line) => log.push(line),
    };
    result = await runWorkflow(join(repoRoot(), '.github/workflows/weekly-training.yml'), options);
    deploys = readFileSync(deployLog, 'utf8').trim().split('\n');
  });

  it('passes validate-model on the trained model and uploads it as model-<version>', () => {
    expect(trainLeg(result)?.steps.map((step) => [step.name ?? step.id, step.conclusion])).toEqual(
      expect.arrayContaining([
        ['Train', 'success'],
        ['Evaluate', 'success'],
      ]),
    );
    expect(result.jobs.train?.outputs).toMatchObject({ passed: 'true', version: 'v2' });
    // warn, not pass: demo/gates.yml's coverage and diversity warnings need training interactions, which
    // weekly-training does not pass to validate-model; a warning does not stop the release.
    expect(result.outputs.verdict).toBe('warn');
    const checks = JSON.parse(result.outputs.report ?? '{}').checks as { name: string; status: string }[];
    expect(checks.filter((check) => check.status !== 'pass').map((check) => check.name)).toEqual([
      'diversity@10',
      'coverage@10',
    ]);
    expect(result.jobs.train?.outputs.sha256).toMatch(/^[0-9a-f]{64}$/);
    const uploaded = readFileSync(join(result.artifactsDir, 'model-v2', 'weights.bin'));
    expect(uploaded.equals(readFileSync(join(repoRoot(), 'demo/model/weights.bin')))).toBe(true);
  });

  it("deploys v2 once, before traffic moves, with the model path and the first step's split", () => {
    expect(deploys).toHaveLength(1);
    const [version, modelPath, split, trafficFile] = (deploys[0] ?? '').split('|');
    expect({ version, modelPath }).toEqual({ version: 'v2', modelPath: 'model/' });
    expect(JSON.parse(split ?? '').targets).toEqual([
      { version: 'v1', weight: 95 },
      { version: 'v2', weight: 5 },
    ]);
    // The checkout it ran in still routed all traffic to v1.
    expect(JSON.parse(trafficFile ?? '').split.targets).toEqual([{ version: 'v1', weight: 100 }]);
  });

  it('promotes v2 through every canary step: main of the origin serves v2 at 100 %', () => {
    expect({
      verdict: result.outputs['release-verdict'],
      log: result.conclusion === 'success' ? [] : log,
    }).toEqual({ verdict: 'promoted', log: [] });
    expect(releaseRun(result)?.jobs.release?.legs.map((leg) => [leg.matrix.weight, leg.conclusion])).toEqual([
      [5, 'success'],
      [10, 'success'],
      [25, 'success'],
      [50, 'success'],
      [100, 'success'],
    ]);
    const main = mainOf(origin);
    expect(main.targets).toEqual([{ version: 'v2', weight: 100 }]);
    // An intent and an outcome per step; the intents carry the checksum of the model validate-model passed.
    expect(main.journal).toHaveLength(10);
    const sha256 = result.jobs.train?.outputs.sha256 ?? '';
    expect(main.journal.filter((entry) => JSON.stringify(entry).includes(sha256))).toHaveLength(5);
  });

  it('re-runs whole ("Re-run all jobs"): the model uploads again, and no traffic step is taken twice', async () => {
    const rerun = await runWorkflow(join(repoRoot(), '.github/workflows/weekly-training.yml'), {
      ...options,
      rerunOf: result,
    });
    expect(rerun.attempt).toEqual({ ...result.attempt, number: 2 });
    expect({ conclusion: rerun.conclusion, verdict: rerun.outputs['release-verdict'] }).toEqual({
      conclusion: 'success',
      verdict: 'promoted',
    });
    // Each step found its own outcome from the first attempt in the ledger: the journal gained nothing.
    const main = mainOf(origin);
    expect(main.targets).toEqual([{ version: 'v2', weight: 100 }]);
    expect(main.journal).toHaveLength(10);
  });
});

/**
 * The template's commands. CI machines guarantee only Node and npm, so pip and python are stand-ins: python
 * runs the repository's train.sh and evaluate.sh with the folder the template names.
 */
const TOOLS = {
  pip: '',
  python: `case "$1" in
  train.py) [ "$2" = --out ] && bash train.sh "$3" ;;
  evaluate.py) [ "$2 $4" = "--model --out" ] && bash evaluate.sh "$5" ;;
  *) exit 64 ;;
esac`,
};

/**
 * The template with what reaches outside this machine replaced: the canary gate reads the healthy recording
 * instead of Prometheus, and Slack (its channel and the slack-token secret) is left out, as its comment says.
 */
function templateOnThisMachine(): string {
  const template = readFileSync(templatePath('recsys-weekly-training'), 'utf8');
  const replaced = template
    .replace(
      "source-config: 'address: https://prometheus.example.com'",
      "source: file\n      source-config: 'path: recordings/healthy.jsonl'",
    )
    .replace(/^ *slack-channel: .*\n/m, '')
    .replace(/^ *slack-token: .*\n/m, '');
  expect(replaced).not.toMatch(/prometheus\.example\.com|slack/);
  return replaced;
}

describe('the weekly training starter template run whole', () => {
  it('trains, passes its gates and promotes the model it trained', async () => {
    const tools = standInCommands(TOOLS);
    const workflow = join(mkdtempSync(join(tmpdir(), 'weekly-template-')), 'weekly-training.yml');
    writeFileSync(workflow, templateOnThisMachine());
    const origin = bareOrigin({
      ...REPOSITORY,
      '.github/canary-checks.yml': CHECKS,
      // Its evaluation writes recommendations and held-out interactions only: the ranking gates of demo/gates.yml.
      'gates.yml': demoFile('gates.yml')
        .split('\n')
        .filter((line) => /^(#|precision@10|ndcg@10)/.test(line))
        .join('\n'),
    });
    const log: string[] = [];
    const result = await runWorkflow(workflow, {
      event: 'workflow_dispatch',
      repo: origin,
      env: { PATH: tools.path },
      log: (line) => log.push(line),
    });
    expect({ conclusion: result.conclusion, log: result.conclusion === 'success' ? [] : log }).toEqual({
      conclusion: 'success',
      log: [],
    });
    expect(tools.calls()).toEqual([
      'pip install -r requirements.txt',
      'python train.py --out model/',
      'python evaluate.py --model model/ --out eval/',
    ]);
    const training = result.jobs.training;
    expect(training?.outputs).toMatchObject({ verdict: 'pass', 'release-verdict': 'promoted' });
    const version = training?.workflow?.jobs.train?.outputs.version;
    expect(version).toMatch(/^model-\d+$/);
    expect(mainOf(origin).targets).toEqual([{ version, weight: 100 }]);
  });
});
