// The demo's way of running a whole reusable workflow: the local workflow runner (tools/workflow-runner)
// against a bare "origin" repository inside the demo's output folder, so the file router's pushes, the file
// ledger and every job's workspace stay in that one folder.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  runWorkflow,
  type RunWorkflowOptions,
  type WorkflowResult,
} from '../tools/workflow-runner/src/index';
import { ROOT } from './actions';
import type { Demo } from './demo-steps';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();

const BOT = ['-c', 'user.name=recsys-demo', '-c', 'user.email=demo@example.invalid'];

/**
 * A bare origin whose main holds the bundled demo files and traffic/<environment>.json with `live` serving
 * all traffic, as after its own release. Returns its path.
 */
export function seedOrigin(output: string, environment: string, live: string): string {
  const origin = join(output, 'origin.git');
  const seed = join(output, 'runner', 'seed');
  git(output, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(output, 'clone', '--quiet', origin, seed);
  cpSync(join(ROOT, 'demo'), seed, { recursive: true });
  mkdirSync(join(seed, 'traffic'), { recursive: true });
  const split = { targets: [{ version: live, weight: 100 }], stickiness: 'request' };
  writeFileSync(
    join(seed, 'traffic', `${environment}.json`),
    `${JSON.stringify({ environment, revision: 1, updatedAt: '2026-11-01T00:00:00.000Z', split })}\n`,
  );
  git(seed, 'add', '.');
  git(seed, ...BOT, 'commit', '--quiet', '-m', `${live} live in ${environment}`);
  git(seed, 'push', '--quiet', 'origin', 'main');
  return origin;
}

/** Clones the origin into `folder`, so the traffic file and the ledger it ended with can be read there. */
export function checkOut(origin: string, folder: string): void {
  git(join(folder, '..'), 'clone', '--quiet', origin, folder);
}

/**
 * The subjects of origin's main, oldest first: one commit per traffic change a job pushed. The journal commit
 * the file ledger pushes after each of them is left out.
 */
export function trafficHistory(origin: string): string[] {
  return git(origin, 'log', '--reverse', '--format=%s', 'main')
    .split('\n')
    .filter((subject) => !subject.includes(' journal ('));
}

export interface WorkflowRun {
  result: WorkflowResult;
  seconds: number;
}

/**
 * Runs `.github/workflows/<name>.yml` as a reusable workflow called with `inputs`. Its log goes to
 * logs/<logName>.log in the output folder rather than the terminal: the demo prints the reports instead.
 */
export async function runDemoWorkflow(
  output: string,
  origin: string,
  name: string,
  logName: string,
  options: Pick<RunWorkflowOptions, 'inputs' | 'token' | 'env'>,
): Promise<WorkflowRun> {
  const lines: string[] = [];
  const started = performance.now();
  try {
    const result = await runWorkflow(join(ROOT, '.github', 'workflows', `${name}.yml`), {
      event: 'workflow_call',
      repo: origin,
      repository: 'octo-org/recsys',
      artifactsDir: join(output, 'runner', 'artifacts', logName),
      log: (line) => lines.push(line),
      ...options,
    });
    return { result, seconds: (performance.now() - started) / 1000 };
  } finally {
    mkdirSync(join(output, 'logs'), { recursive: true });
    writeFileSync(join(output, 'logs', `${logName}.log`), `${lines.join('\n')}\n`);
  }
}

/**
 * Prints a run job by job: every step that published a report (as `show` renders it), and every failed step
 * without one, with its errors. Returns the workflow's `verdict` output.
 */
export async function showRun(demo: Demo, label: string, run: WorkflowRun): Promise<string> {
  for (const [jobId, job] of Object.entries(run.result.jobs)) {
    for (const leg of job.legs) {
      const matrix = Object.entries(leg.matrix).map(([key, value]) => `${key} ${String(value)}`);
      const where = [jobId, ...matrix].join(' · ');
      for (const step of leg.steps) {
        if (!step.outputs.report && step.conclusion !== 'failure') continue;
        console.log(`\n  ▸ ${where} · ${step.name}`);
        const name = [label, ...Object.values(leg.matrix).map(String), step.id].join('-');
        await demo.show(name, { report: step.outputs.report, summary: '', errors: step.errors });
      }
    }
  }
  const verdict = run.result.outputs.verdict ?? '';
  console.log(`\n  ⇒ ${label}: ${verdict || run.result.conclusion} (${run.seconds.toFixed(1)} s)`);
  return verdict;
}
