// The blue-green release run whole by the workflow runner: the starter template (workflows-templates/
// recsys-blue-green.yml) with only its outside-reaching URLs replaced, calling .github/workflows/blue-green.yml,
// whose switch runs the built shift-traffic with the file router. The model repository is a bare origin:
// every job clones it, so the switch counts only if it was pushed to main (push: branch).
//
// The deployment is stood in for by testkit's version servers, one per deployed version, each answering with
// its version, behind a small front that reaches a version directly at /<version>/ (target-health-url and the
// smoke script) and through the router at /router/, which serves the version main's traffic file gives all
// traffic. The deploy script records each version it deploys; the smoke script checks that the target answers
// as the version being released. v3's deploy left the old model serving under its name, so its smoke fails.
import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVersionServer, type VersionServer } from '@recsys-actions/testkit/services/upstream';
import { repoRoot } from '@recsys-actions/testkit';
import { runWorkflow, type WorkflowResult } from '../../tools/workflow-runner/src/index';
import { bareOrigin, mainOf, templatePath, V1_LIVE_TRAFFIC } from './model-repo';

const REPOSITORY = {
  'traffic/production.json': V1_LIVE_TRAFFIC,
  'models/model.onnx': 'weights',
  'deploy/up.sh': 'echo "$RECSYS_VERSION $RECSYS_MODEL_PATH" >> "$DEPLOY_LOG"\n',
  'deploy/smoke.sh': `answer=$(node -e 'fetch(process.argv[1]).then((r) => r.text()).then((t) => console.log(t))' "$FLEET_URL/$RECSYS_VERSION/recommend")
[ "$answer" = "$RECSYS_VERSION" ] || { echo "$RECSYS_VERSION answered as $answer"; exit 1; }
`,
};

/** Forwards /<version>/… to that version's server, and /router/… to the one main of `origin` routes to. */
async function startFront(servers: ReadonlyMap<string, VersionServer>, origin: string) {
  const serving = () => mainOf(origin).targets.find((target) => target.weight === 100)?.version ?? '';
  const server: Server = createServer((request, response) => {
    const [, name = ''] = (request.url ?? '').split('/');
    const backend = servers.get(name === 'router' ? serving() : name);
    if (!backend) return void response.writeHead(502).end();
    const forwarded = httpRequest(`http://${backend.address}/`, { agent: false }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => response.writeHead(502).end());
    forwarded.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The template with its deployment's URLs pointing at the front. */
function templateOnThisMachine(front: string): string {
  const replaced = readFileSync(templatePath('recsys-blue-green'), 'utf8')
    .replace("'http://recs-{version}.internal:8080/healthz'", `'${front}/{version}/healthz'`)
    .replace('https://recs.example.com/healthz', `${front}/router/healthz`)
    .replace('health-timeout: 60s', 'health-timeout: 5s');
  expect(replaced).not.toMatch(/\.internal|example\.com/);
  return replaced;
}

describe('blue-green run whole: the starter template with the file router pushing to a bare origin', () => {
  const servers = new Map<string, VersionServer>();
  let origin: string;
  let front: Awaited<ReturnType<typeof startFront>>;
  let workflow: string;
  let deployLog: string;
  beforeAll(async () => {
    origin = bareOrigin(REPOSITORY);
    for (const version of ['v1', 'v2']) servers.set(version, await startVersionServer(version));
    servers.set('v3', servers.get('v1') as VersionServer);
    front = await startFront(servers, origin);
    const folder = mkdtempSync(join(tmpdir(), 'blue-green-'));
    workflow = join(folder, 'blue-green.yml');
    writeFileSync(workflow, templateOnThisMachine(front.url));
    deployLog = join(folder, 'deploys.log');
  });
  afterAll(async () => {
    await front.close();
    await Promise.all(['v1', 'v2'].map((version) => servers.get(version)?.close()));
  });

  const release = async (version: string): Promise<{ result: WorkflowResult; log: string[] }> => {
    const log: string[] = [];
    const result = await runWorkflow(workflow, {
      event: 'workflow_dispatch',
      inputs: { version },
      repo: origin,
      env: { FLEET_URL: front.url, DEPLOY_LOG: deployLog },
      log: (line) => log.push(line),
    });
    return { result, log };
  };
  const mainHead = () => execFileSync('git', ['rev-parse', 'main'], { cwd: origin, encoding: 'utf8' }).trim();

  it('switches main to a healthy v2 at 100 %, journaled, after deploying it', async () => {
    const { result, log } = await release('v2');
    expect({
      verdict: result.jobs.release?.outputs.verdict,
      log: result.conclusion === 'success' ? [] : log,
    }).toEqual({ verdict: 'switched', log: [] });
    expect(result.jobs.release?.workflow?.jobs.rollback?.conclusion).toBe('skipped');
    const main = mainOf(origin);
    expect(main.targets).toEqual([{ version: 'v2', weight: 100 }]);
    expect(main.journal.length).toBeGreaterThan(0);
    expect(readFileSync(deployLog, 'utf8')).toBe('v2 models/model.onnx\n');
    // What the router serves now: v2.
    const answer = await fetch(`${front.url}/router/`).then((response) => response.text());
    expect(answer).toBe('v2');
  });

  it('refuses v3, whose smoke script fails, leaving main as it was', async () => {
    const before = mainHead();
    const { result, log } = await release('v3');
    expect(result.jobs.release?.outputs.verdict).toBe('refused');
    expect(result.jobs.release?.workflow?.jobs.rollback?.conclusion).toBe('skipped');
    expect(log.join('\n')).toContain('v3 answered as v1');
    expect(mainHead()).toBe(before);
    expect(mainOf(origin).targets).toEqual([{ version: 'v2', weight: 100 }]);
  });
});

describe('blue-green.yml run whole: a failed verification after the switch is rolled back on main', () => {
  it('pushes the switch to v2, then the rollback to v1: main ends where it started', async () => {
    const origin = bareOrigin(REPOSITORY);
    const result = await runWorkflow(join(repoRoot(), '.github/workflows/blue-green.yml'), {
      event: 'workflow_call',
      inputs: {
        environment: 'production',
        version: 'v2',
        'deploy-command': 'true',
        'verify-command': 'echo "v2 recommends nothing"; exit 1',
        ledger: 'file',
      },
      repo: origin,
      log: () => undefined,
    });
    expect(result.outputs.verdict).toBe('rolled-back');
    expect(result.jobs.rollback?.conclusion).toBe('success');
    const subjects = execFileSync('git', ['log', '--format=%s', 'main'], { cwd: origin, encoding: 'utf8' });
    expect(subjects).toMatch(/recsys: production v1 100% .*\(rollback, run \d+\)[\s\S]*production v2 100%/);
    expect(mainOf(origin).targets).toEqual([{ version: 'v1', weight: 100 }]);
  });
});
