// The READMEs' copy-paste examples, run: each ```yaml block that uses one of the suite's actions is taken from
// its README as it is today, made a workflow (a list of steps becomes a job's steps, a job fragment a job, and a
// checkout goes first when the example has none) and run by the workflow runner on the built dists, in a model
// repository holding the files the example names (from demo/).
//
// Only values that reach outside this machine are replaced, each exactly once (an example that no longer has
// one fails the test): Prometheus addresses become a recording of demo/recordings (a real Prometheus would make
// the gate wait out real minutes), Slack goes to the testkit receiver, health URLs to a local server. Blocks
// that are settings fragments, not steps, are listed with the reason they are not run.
import { describeWithService, git, repoRoot, runAction } from '@recsys-actions/testkit';
import { NGINX_SERVICE, startNginx, type NginxInstance } from '@recsys-actions/testkit/services/nginx';
import { freePort } from '@recsys-actions/testkit/services/prometheus';
import {
  startVersionServer,
  tallyVersions,
  type VersionServer,
} from '@recsys-actions/testkit/services/upstream';
import { allTrafficTo, renderNginxConfig } from '@recsys-actions/traffic';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import type { SlackReceiver } from '@recsys-actions/testkit/slack/receiver';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  runWorkflow,
  type StepResult,
  type Value,
  type WorkflowResult,
} from '../../tools/workflow-runner/src/index';
import { readmeYamlBlocks } from '../support/readme-blocks';
import {
  bareOrigin,
  csvToParquet,
  demoFile,
  githubAndSlack,
  modelRepo,
  standInCommands,
  V1_LIVE_TRAFFIC,
} from './model-repo';

type Files = Record<string, string | Uint8Array>;

interface Run {
  result: WorkflowResult;
  log: string;
  steps: StepResult[];
}

/** A value of an example that reaches outside this machine, found `times` times (default once). */
type Replacement = [from: string, to: string, times?: number];

/** The example's text with each replacement made; one that is not found as often as said fails the test. */
function adapted(yaml: string, replacements: Replacement[]): string {
  let text = yaml;
  for (const [from, to, times = 1] of replacements) {
    expect({ [from]: text.split(from).length - 1 }).toEqual({ [from]: times });
    text = text.replaceAll(from, to);
  }
  return text;
}

const isCheckout = (step: Record<string, unknown>) => String(step.uses ?? '').startsWith('actions/checkout@');

/** A job as the example gives it, with runs-on and, when it has none, a checkout first. */
function asJob(job: Record<string, unknown>): Record<string, unknown> {
  const steps = (job.steps ?? []) as Record<string, unknown>[];
  const checkout = steps.some(isCheckout) ? [] : [{ uses: 'actions/checkout@v4' }];
  return { 'runs-on': 'ubuntu-latest', ...job, steps: [...checkout, ...steps] };
}

/** The example as a whole workflow: a list of steps, a job fragment (`steps:`) or a workflow (`jobs:`). */
function asWorkflow(yaml: string, on: Record<string, unknown>): string {
  const example = parseYaml(yaml) as unknown;
  const workflow: Record<string, unknown> = Array.isArray(example)
    ? { jobs: { example: asJob({ steps: example }) } }
    : 'jobs' in (example as object)
      ? (example as Record<string, unknown>)
      : { jobs: { example: asJob(example as Record<string, unknown>) } };
  const jobs = workflow.jobs as Record<string, Record<string, unknown>>;
  for (const [id, job] of Object.entries(jobs)) if (job.steps) jobs[id] = asJob(job);
  return stringifyYaml({ on, ...workflow });
}

interface ExampleOptions {
  files: Files;
  replace?: Replacement[];
  /** The workflow's `on:` when the example has none; default workflow_dispatch without inputs. */
  on?: Record<string, unknown>;
  /** A bare repository to run against (for examples that push), instead of one made of `files`. */
  origin?: (files: Files) => string;
  event?: string;
  payload?: Record<string, Value>;
  inputs?: Record<string, string>;
  secrets?: Record<string, string>;
  env?: Record<string, string>;
}

/** Runs block `block` (1-based) of `readme` with the given repository files. */
async function runExample(readme: string, block: number, options: ExampleOptions): Promise<Run> {
  const yaml = readmeYamlBlocks(readme)[block - 1] ?? '';
  const workflow = asWorkflow(adapted(yaml, options.replace ?? []), options.on ?? { workflow_dispatch: {} });
  const files = { ...options.files, '.github/workflows/example.yml': workflow };
  const repo = (options.origin ?? modelRepo)(files);
  const workflowFile = join(mkdtempSync(join(tmpdir(), 'readme-example-')), 'example.yml');
  writeFileSync(workflowFile, workflow);
  const log: string[] = [];
  const result = await runWorkflow(workflowFile, {
    event: options.event ?? 'workflow_dispatch',
    repo,
    inputs: options.inputs,
    ...(options.payload ? { eventPayload: options.payload } : {}),
    secrets: { GITHUB_TOKEN: 'ghs_emulated', ...options.secrets },
    env: options.env,
    log: (line) => log.push(line),
  });
  const steps = Object.values(result.jobs).flatMap((job) => job.legs.flatMap((leg) => leg.steps));
  return { result, log: log.join('\n'), steps };
}

/** The conclusion, with the log beside a failure so that a failing example shows why. */
const outcome = (run: Run) => ({
  conclusion: run.result.conclusion,
  log: run.result.conclusion === 'success' ? '' : run.log,
});

const demoData = (names: Record<string, string>): Files =>
  Object.fromEntries(Object.entries(names).map(([to, from]) => [to, demoFile(from)]));

/** The demo's predicted ratings (1-5) as click probabilities, a logistic curve centred between 3 and 4. */
function clickProbabilities(csv: string): string {
  const [header = '', ...rows] = csv.trim().split('\n');
  const probability = (rating: number) => (1 / (1 + Math.exp(-2 * (rating - 3.5)))).toFixed(4);
  const lines = rows.map((row) => row.replace(/[^,]+$/, (rating) => probability(Number(rating))));
  return `${[header, ...lines].join('\n')}\n`;
}

const [driftHeader = '', ...referenceRows] = demoFile('data/reference.csv').trim().split('\n');
const currentRows = demoFile('data/current.csv').trim().split('\n').slice(1);

/** A local server answering 200 on every path, and the paths it was asked for. */
async function startHealthServer(): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, paths, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The file router's traffic file with `version` serving all of production. */
const liveTraffic = (version: string) => V1_LIVE_TRAFFIC.replace('"v1"', JSON.stringify(version));

/** `python <script>` of an example, done by a stand-in: CI machines guarantee only Node and npm. */
const python = standInCommands({
  python: `case "$1" in
  fetch_data.py) mkdir -p "$3/reference" "$3/current"
    cp warehouse/reference.parquet "$3/reference/"; cp warehouse/current.parquet "$3/current/" ;;
  train.py) ;;
esac`,
});

const CHANNEL = 'C0123ABCD';

describe('README examples, run', () => {
  const services = githubAndSlack(CHANNEL);
  let github: GitHubEmulator;
  let slack: SlackReceiver;
  beforeAll(() => {
    github = services.github;
    slack = services.slack;
  });
  const env = () => ({
    GITHUB_API_URL: github.url,
    NODE_EXTRA_CA_CERTS: services.certificate.certPath,
    PATH: python.path,
  });

  it('README.md: validate-model passes on the metrics file', async () => {
    const run = await runExample('README.md', 1, {
      files: { 'metrics.json': demoFile('champion/metrics.json') },
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect(run.steps.at(-1)?.outputs).toMatchObject({ passed: 'true', verdict: 'pass' });
  });

  it('validate-model #1: the quality gates on the demo evaluation', async () => {
    const run = await runExample('actions/validate-model/README.md', 1, {
      files: {
        ...demoData({
          'eval/recommendations.csv': 'data/recommendations.csv',
          'eval/ground-truth.csv': 'data/ground-truth.csv',
          'eval/predictions.csv': 'data/predictions.csv',
          'data/train.csv': 'data/train.csv',
          'metrics.json': 'model/serving-metrics.json',
          'model/weights.bin': 'model/weights.bin',
          'champion/metrics.json': 'champion/metrics.json',
        }),
        'train.py': '',
        'score.py': '',
      },
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect(run.steps.at(-1)?.outputs).toMatchObject({ passed: 'true' });
  });

  it('validate-model #2: click metrics from predicted probabilities', async () => {
    const run = await runExample('actions/validate-model/README.md', 2, {
      files: {
        ...demoData({
          'eval/recs.csv': 'data/recommendations.csv',
          'eval/holdout.csv': 'data/ground-truth.csv',
          'eval/train.csv': 'data/train.csv',
        }),
        'eval/predicted.csv': clickProbabilities(demoFile('data/predictions.csv')),
      },
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    // The example's click metrics were computed from the probabilities, not skipped.
    expect(Object.keys(JSON.parse(run.steps.at(-1)?.outputs.metrics ?? '{}'))).toEqual(
      expect.arrayContaining(['auc', 'logloss', 'r_precision@10', 'serendipity@10']),
    );
  });

  it('drift-check #1: a drifted day opens an issue and dispatches retrain', async () => {
    const run = await runExample('actions/drift-check/README.md', 1, {
      files: {
        'warehouse/reference.parquet': csvToParquet([driftHeader, ...referenceRows]),
        'warehouse/current.parquet': csvToParquet([driftHeader, ...currentRows]),
      },
      event: 'schedule',
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect(run.steps.find((step) => step.id === 'drift')?.outputs).toMatchObject({
      'drift-detected': 'true',
    });
    expect(github.dispatches().map((dispatch) => dispatch.eventType)).toEqual(['retrain']);
  });

  it('drift-check #2: the retrain workflow reads the dispatch payload', async () => {
    const run = await runExample('actions/drift-check/README.md', 2, {
      files: {},
      event: 'repository_dispatch',
      payload: { action: 'retrain', client_payload: { environment: 'production', dataset: 'features' } },
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect(run.log).toContain('drift in production/features');
  });

  const gateFiles = {
    ...demoData({ 'recordings/healthy.jsonl': 'recordings/healthy.jsonl' }),
    '.github/canary-checks.yml': demoFile('recordings/checks.yml'),
  };

  const webhookPosts = () =>
    slack.requests.filter((request) => request.kind === 'webhook' && request.status === 200);

  /** Runs a notify-slack example that posts to the webhook, and returns the posts that reached it. */
  async function webhookExample(
    readme: string,
    block: number,
    options: Pick<ExampleOptions, 'files' | 'replace'>,
  ) {
    const before = webhookPosts().length;
    const run = await runExample(readme, block, {
      files: options.files,
      replace: [
        ...(options.replace ?? []),
        ['    errors: false\n', `    errors: false\n    allowed-hosts: ${slack.host}\n`],
      ],
      secrets: { SLACK_WEBHOOK_URL: slack.webhookUrl },
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    return webhookPosts().slice(before);
  }

  it('notify-slack #1: the gate report reaches the webhook', async () => {
    const posts = await webhookExample('actions/notify-slack/README.md', 1, {
      files: gateFiles,
      replace: [
        [
          "source: prometheus, source-config: 'address: http://prometheus:9090'",
          "source: file, source-config: 'path: recordings/healthy.jsonl'",
        ],
      ],
    });
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body)).toContain('promote');
  });

  it('notify-slack #3: a start message, then the same message updated', async () => {
    const before = slack.messages.length;
    const api = `slack-api-url: ${slack.apiUrl}, allowed-hosts: ${slack.host}`;
    const run = await runExample('actions/notify-slack/README.md', 3, {
      files: {},
      replace: [
        ['status: info }', `status: info, ${api} }`],
        ['    channel: C0123ABCD\n', `    channel: C0123ABCD\n    ${api.replace(', ', '\n    ')}\n`],
      ],
      secrets: { SLACK_BOT_TOKEN: slack.token },
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect(slack.messages.length - before).toBe(1);
  });

  it('notify-slack #4: without a report, the fallback names the job status', async () => {
    const posts = await webhookExample('actions/notify-slack/README.md', 4, { files: {} });
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body)).toContain('success');
  });

  const prometheusGate = (indent: string): Replacement => [
    `${indent}source: prometheus\n${indent}source-config: 'address: http://prometheus:9090'\n`,
    `${indent}source: file\n${indent}source-config: 'path: recordings/healthy.jsonl'\n`,
    4,
  ];

  it('shift-traffic #1: the release promotes v1.5.0 through four gates', async () => {
    const run = await runExample('actions/shift-traffic/README.md', 1, {
      files: { ...gateFiles, 'traffic/production.json': liveTraffic('v1.4.0') },
      replace: [prometheusGate('          ')],
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    const verdicts = run.steps
      .filter((step) => step.id?.startsWith('gate'))
      .map((step) => step.outputs.verdict);
    expect(verdicts).toEqual(['promote', 'promote', 'promote', 'promote']);
    expect(run.steps.at(-1)?.conclusion).toBe('skipped');
  });

  it('shift-traffic #3: blue-green deploys, checks and switches all traffic to the version', async () => {
    const health = await startHealthServer();
    const run = await runExample('actions/shift-traffic/README.md', 3, {
      files: {
        'traffic/production.json': liveTraffic('v1.4.0'),
        'models/model.onnx': 'weights',
        // The user's scripts; here they only say what they were asked to do.
        'deploy/up.sh': '#!/bin/sh\necho "deploying $1 with $2"\n',
        'deploy/smoke.sh': '#!/bin/sh\necho "smoke test of $1"\n',
      },
      on: { workflow_dispatch: { inputs: { version: { type: 'string', required: true } } } },
      inputs: { version: 'v1.5.0' },
      replace: [
        ["'http://recs-{version}.internal:8080/healthz'", `'${health.url}/{version}/healthz'`],
        [
          '          health-url: https://recs.example.com/healthz\n',
          `          health-url: ${health.url}/healthz\n`,
        ],
      ],
      env: env(),
    }).finally(() => health.close());
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect(run.log).toContain('deploying v1.5.0 with models/model.onnx');
    expect(run.log).toContain('smoke test of http://recs-v1.5.0.internal:8080');
    expect(health.paths).toEqual(expect.arrayContaining(['/v1.5.0/healthz', '/healthz']));
    const switched = run.steps.find((step) => step.id === 'switch')?.outputs ?? {};
    expect(JSON.parse(switched.split ?? '{}')).toMatchObject({
      targets: [{ version: 'v1.5.0', weight: 100 }],
    });
  });

  it('shift-traffic #5: push: branch commits the split to the branch', async () => {
    let origin = '';
    const run = await runExample('actions/shift-traffic/README.md', 5, {
      files: { 'traffic/production.json': liveTraffic('v1.4.0') },
      origin: (files) => (origin = bareOrigin(files)),
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    const traffic = JSON.parse(git(origin, 'show', 'main:traffic/production.json')) as { split: unknown };
    expect(traffic.split).toMatchObject({
      targets: [
        { version: 'v1.4.0', weight: 90 },
        { version: 'v1.5.0', weight: 10 },
      ],
    });
  });

  it('deployment-report #1: the report of the ledgers the release examples and a staging step wrote', async () => {
    // The example reports production (written by shift-traffic's examples above) and staging.
    const staging = await runAction({
      action: 'shift-traffic',
      inputs: {
        environment: 'staging',
        'stable-version': 'v1',
        'canary-version': 'v2',
        'canary-weight': 100,
      },
      env: { GITHUB_API_URL: github.url },
      token: 'ghs_emulated',
      repository: 'octo-org/recsys',
    });
    expect(staging.errors).toEqual([]);
    const run = await runExample('actions/deployment-report/README.md', 1, { files: {}, env: env() });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect(run.steps.find((step) => step.id === 'report')?.outputs.verdict).toMatch(/^(ok|warn)$/);
  });
});

const STABLE = 'v2026.10.01';
const CANARY = 'v2026.11.22';

describeWithService(NGINX_SERVICE, 'README examples, run through a real nginx', (executable) => {
  let nginx: NginxInstance;
  let servers: VersionServer[];
  let site = '';
  let routerConfig = '';
  let health: Awaited<ReturnType<typeof startHealthServer>>;
  let github: GitHubEmulator;
  const env = () => ({ GITHUB_API_URL: github.url, PATH: python.path });
  beforeAll(async () => {
    github = await startGitHubEmulator();
    servers = await Promise.all([startVersionServer(STABLE), startVersionServer(CANARY)]);
    const [sitePort, probePort] = [await freePort(), await freePort()];
    site = `http://127.0.0.1:${sitePort}/`;
    const fields = {
      upstream: 'recsys',
      servers: Object.fromEntries(servers.map((server) => [server.version, [server.address]])),
      probeListen: `127.0.0.1:${probePort}`,
      userKey: '$http_x_user_id',
    };
    nginx = await startNginx({
      executable,
      files: { 'traffic.conf': renderNginxConfig(allTrafficTo(STABLE), fields).text },
      http: `include {prefix}/traffic.conf;
    server { listen 127.0.0.1:${sitePort}; location / { proxy_pass http://$recsys_upstream; } }`,
    });
    // The user's router file: where nginx reads the split and how to check and reload it.
    routerConfig = stringifyYaml({
      path: join(nginx.prefix, 'traffic.conf'),
      ...fields,
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
    });
    health = await startHealthServer();
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all((servers ?? []).map((server) => server.close()));
    await health?.close();
    await github?.close();
  });

  it('canary-gate #1: 10 % to the canary through nginx, judged healthy, no rollback', async () => {
    const run = await runExample('actions/canary-gate/README.md', 1, {
      files: {
        'deploy/router.yml': routerConfig,
        'deploy/canary-checks.yml': demoFile('recordings/checks.yml'),
        'recordings/healthy.jsonl': demoFile('recordings/healthy.jsonl'),
      },
      replace: [
        [
          '          source: prometheus\n          source-config: |\n            address: http://prometheus.monitoring:9090\n',
          '          source: file\n          source-config: |\n            path: recordings/healthy.jsonl\n',
        ],
      ],
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect(run.result.jobs.canary?.outputs.verdict).toBe('promote');
    expect(run.result.jobs.rollback?.conclusion).toBe('skipped');
    const { tally } = await tallyVersions(site, 400);
    // 10 % of 400 requests: 40 expected, binomial sd 6.
    expect(tally[CANARY]).toBeGreaterThan(15);
    expect(tally[CANARY]).toBeLessThan(70);
  });

  it('rollback #1: the rollback button takes the canary out of nginx', async () => {
    const run = await runExample('actions/rollback/README.md', 1, {
      files: { '.github/recsys-router.yml': routerConfig },
      replace: [
        [
          '          health-url: https://recs.example.com/healthz\n',
          `          health-url: ${health.url}/healthz\n`,
        ],
      ],
      inputs: {
        environment: 'production',
        'from-version': CANARY,
        'to-version': STABLE,
        reason: 'README example',
        confirm: 'production',
      },
      env: env(),
    });
    expect(outcome(run)).toEqual({ conclusion: 'success', log: '' });
    expect((await tallyVersions(site, 50)).tally).toEqual({ [STABLE]: 50 });
  });
});

/** Examples with a suite step that this file does not run yet, and why; the lead's list of what is left. */
const NOT_RUN: Record<string, string> = {
  'actions/notify-slack/README.md #2': 'a fragment: its gate job is elided (# ...)',
  'README.md #2':
    'canary-release on gateway-api: the same workflow runs whole against the Kubernetes fake in kubernetes-canary.e2e',
  'README.md #3': 'needs aws-actions/configure-aws-credentials, which the local runner does not emulate',
  'actions/shift-traffic/README.md #2':
    'a shadow on a self-hosted nginx with services that log their answers; shadow.e2e runs the same steps',
  'actions/validate-model/README.md #3':
    'a python export step per shard; model-ci-shards.e2e runs the same partial-only and merge-partials steps',
  'actions/validate-model/README.md #4':
    'needs a champion and challenger of the same users; paired.e2e runs the same inputs through the dist',
  'actions/drift-check/README.md #3':
    'shards of Parquet parts; daily-drift with shards runs the same profile-only and merge steps whole',
};

it('every README example with a suite step is run above or listed as not run', () => {
  const names = expect.getState().testPath ? readFileSync(expect.getState().testPath ?? '', 'utf8') : '';
  const run = [...names.matchAll(/(?:runExample|webhookExample)\('([^']+)', (\d+)/g)].map(
    (match) => `${match[1]} #${match[2]}`,
  );
  const readmes = [
    'README.md',
    ...readdirSync(join(repoRoot(), 'actions')).map((a) => `actions/${a}/README.md`),
  ];
  const withSuiteSteps = readmes
    .filter((readme) => existsSync(join(repoRoot(), readme)))
    .flatMap((readme) => readmeYamlBlocks(readme).map((yaml, i) => [`${readme} #${i + 1}`, yaml] as const))
    .filter(([, yaml]) => /uses: [\w-]+\/recsys-actions\//.test(yaml))
    .map(([name]) => name);
  expect(withSuiteSteps.filter((name) => !run.includes(name) && !(name in NOT_RUN))).toEqual([]);
  expect(Object.keys(NOT_RUN).filter((name) => run.includes(name))).toEqual([]);
});
