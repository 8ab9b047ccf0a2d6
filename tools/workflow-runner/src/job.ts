import type { ReusableWorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import {
  evaluateExpression,
  evaluateMapping,
  evaluateToken,
  isTruthy,
  type Scope,
  type Value,
} from './expressions';
import { newLegFolders, stepScope, type LegState } from './leg-state';
import { child, type LoadedJob, type LoadedWorkflow } from './load';
import { expandStrategy, type MatrixLeg } from './matrix';
import type { Frame, JobResult, LegResult, Run, WorkflowResult } from './run-context';
import { cancelLeg, runStep } from './step';
import { callWorkflow } from './workflow';

const defaultTimeoutMinutes = 360; // GitHub's default for a job

/** The jobs of a frame that have finished, by id. */
export type Finished = Record<string, JobResult>;

type Leg = LegResult & { workflow?: WorkflowResult };

/**
 * Runs one job after its needs: its `if:` with the status of the jobs before it, then each matrix leg, at
 * most max-parallel at once; with fail-fast, a failed leg cancels the legs not started yet. A cancelled run
 * cancels the job unless its if: still holds (see watchCancellation).
 */
export async function runJob(run: Run, frame: Frame, job: LoadedJob, finished: Finished): Promise<JobResult> {
  const label = `[${frame.prefix}${job.id}]`;
  const scope = jobScope(run, frame, job, finished);
  if (!isTruthy(evaluateExpression(job.job.if.expression, scope))) {
    run.log(`${label} skipped (if: ${job.job.if.expression})`);
    return { conclusion: 'skipped', outputs: {}, legs: [] };
  }
  const concurrency = concurrencyGroup(job.job.concurrency, scope);
  if (concurrency) run.log(`${label} concurrency group: ${concurrency}`);
  const strategy = expandStrategy(job.job.strategy ? evaluateToken(job.job.strategy, scope) : undefined);
  const legs: Leg[] = [];
  const pending = [...strategy.legs];
  let stop = false;
  const watch = watchCancellation(run, job, scope, label);
  const worker = async () => {
    for (let matrix = pending.shift(); matrix; matrix = pending.shift()) {
      const reason = watch.cancelled ? 'the run was cancelled' : 'an earlier leg failed (fail-fast)';
      if (stop || watch.cancelled) run.log(`${label} leg ${JSON.stringify(matrix)} cancelled: ${reason}`);
      const leg: Leg =
        stop || watch.cancelled
          ? { matrix, conclusion: 'cancelled', outputs: {}, steps: [], summary: '' }
          : await runLeg(
              { run, frame, job, scope, matrix, label: '', watch },
              strategy.legs.length,
              strategy.legs.indexOf(matrix),
            );
      legs.push(leg);
      if (leg.conclusion === 'failure' && strategy.failFast) stop = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(strategy.maxParallel, strategy.legs.length) }, worker));
  watch.dispose();
  const failed = legs.some((leg) => leg.conclusion === 'failure');
  const tolerated = failed && isTruthy(valueOf(child(job.raw, 'continue-on-error'), scope, false));
  const conclusion = watch.cancelled ? 'cancelled' : failed && !tolerated ? 'failure' : 'success';
  run.log(`${label} ${conclusion}`);
  // A matrix job's outputs are those its legs set, a later leg's non-empty value winning, as on GitHub.
  const outputs: Record<string, string> = {};
  for (const leg of legs)
    for (const [name, value] of Object.entries(leg.outputs)) if (value) outputs[name] = value;
  const workflow = legs.length === 1 ? legs[0]?.workflow : undefined;
  return { conclusion, outputs, legs, ...(workflow && { workflow }), ...(concurrency && { concurrency }) };
}

function valueOf(token: TemplateToken | undefined, scope: Scope, fallback: Value): Value {
  return token === undefined ? fallback : evaluateToken(token, scope);
}

function jobScope(run: Run, frame: Frame, job: LoadedJob, finished: Finished): Scope {
  const needs: Record<string, { result: string; outputs: Record<string, string> }> = {};
  for (const { value: id } of job.job.needs ?? [])
    needs[id] = { result: finished[id]?.conclusion ?? 'skipped', outputs: finished[id]?.outputs ?? {} };
  const failed = ancestorResults(frame, job, finished).includes('failure');
  const needsSucceeded = Object.values(needs).every((need) => need.result === 'success');
  // After a cancellation success() is false for every job still to start, and cancelled() true, as on GitHub.
  const cancelled = run.options.signal?.aborted === true;
  return {
    contexts: {
      github: { ...run.github, job: job.id },
      inputs: frame.inputs,
      secrets: frame.secrets,
      needs,
      vars: {},
      matrix: {},
      strategy: {},
      env: {},
    },
    status: { success: !failed && needsSucceeded && !cancelled, failure: failed, cancelled },
  };
}

/** The conclusions of every job this one needs, directly or through others: failure() looks at all of them. */
function ancestorResults(frame: Frame, job: LoadedJob, finished: Finished): string[] {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const need of frame.workflow.jobs.find((other) => other.id === id)?.job.needs ?? [])
      visit(need.value);
  };
  for (const need of job.job.needs ?? []) visit(need.value);
  return [...seen].map((id) => finished[id]?.conclusion ?? 'skipped');
}

/** The group a `concurrency:` value names, with cancel-in-progress when it says. */
export function concurrencyGroup(token: TemplateToken | undefined, scope: Scope): string | undefined {
  const value = valueOf(token, scope, null);
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return String(value);
  return `${String(value.group ?? '')} (cancel-in-progress: ${String(value['cancel-in-progress'] ?? false)})`;
}

/** What a running job does when the run is cancelled: whether it was cancelled, and the legs to cancel. */
interface CancellationWatch {
  cancelled: boolean;
  legs: Set<LegState>;
  dispose: () => void;
}

/**
 * Watches for the run being cancelled while the job runs. As on GitHub, the job's if: is evaluated again with
 * cancelled() true: when it holds (always(), cancelled()) the job goes on, otherwise it and its running legs
 * are cancelled. A job that starts after the cancellation was let through by its if:, so nothing cancels it.
 */
function watchCancellation(run: Run, job: LoadedJob, scope: Scope, label: string): CancellationWatch {
  const watch: CancellationWatch = { cancelled: false, legs: new Set(), dispose: () => undefined };
  const signal = run.options.signal;
  if (!signal || signal.aborted) return watch;
  const onAbort = () => {
    const status = { ...scope.status, success: false, cancelled: true };
    if (isTruthy(evaluateExpression(job.job.if.expression, { ...scope, status }))) return;
    run.log(`${label} cancelling: the run was cancelled`);
    watch.cancelled = true;
    for (const leg of watch.legs) cancelLeg(leg);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  watch.dispose = () => signal.removeEventListener('abort', onAbort);
  return watch;
}

/** One leg to run: the job, its scope with `matrix` and `strategy` set, and how its log lines start. */
interface LegPlan {
  run: Run;
  frame: Frame;
  job: LoadedJob;
  scope: Scope;
  matrix: MatrixLeg;
  label: string;
  watch: CancellationWatch;
}

/** `strategy.job-index` is the leg's place in the expanded matrix, from 0, as on GitHub. */
function runLeg(plan: LegPlan, total: number, index: number) {
  const { frame, job, scope, matrix } = plan;
  const strategy = { 'job-total': total, 'job-index': index };
  const legScope = { ...scope, contexts: { ...scope.contexts, matrix, strategy } };
  const suffix = Object.keys(matrix).length ? ` (${Object.values(matrix).map(String).join(', ')})` : '';
  const legPlan = { ...plan, scope: legScope, label: `${frame.prefix}${job.id}${suffix}` };
  return job.called ? callLeg(legPlan, job.called) : stepsLeg(legPlan);
}

async function stepsLeg({ run, frame, job, scope, matrix, label, watch }: LegPlan): Promise<Leg> {
  const folders = newLegFolders();
  const minutes = Number(valueOf(child(job.raw, 'timeout-minutes'), scope, defaultTimeoutMinutes));
  const github = { ...(scope.contexts.github as Record<string, Value>), workspace: folders.workspace };
  const runner = {
    os: 'Linux',
    arch: 'X64',
    name: 'workflow-runner',
    temp: folders.runnerTemp,
    environment: 'self-hosted',
  };
  const state: LegState = {
    run,
    frame,
    job,
    label: `[${label}]`,
    ...folders,
    contexts: { ...scope.contexts, github, runner },
    env: {},
    path: [],
    steps: {},
    failed: false,
    cancelled: false,
    deadline: Date.now() + minutes * 60_000,
    summary: [],
  };
  state.env = evaluateMapping(frame.workflow.template.env, stepScope(state, {}));
  Object.assign(
    state.env,
    evaluateMapping(job.job.type === 'job' ? job.job.env : undefined, stepScope(state)),
  );
  run.log(`${state.label} started in ${folders.workspace}`);
  const steps = [];
  watch.legs.add(state);
  if (watch.cancelled) cancelLeg(state);
  for (const step of job.steps) steps.push(await runStep(state, step));
  watch.legs.delete(state);
  const outputs = evaluateMapping(job.job.outputs, stepScope(state));
  return {
    matrix,
    conclusion: state.cancelled ? 'cancelled' : state.failed ? 'failure' : 'success',
    outputs,
    steps,
    summary: state.summary.join(''),
  };
}

/** A reusable job's leg: the called workflow, run with the job's `with:` and `secrets:`. */
async function callLeg(
  { run, frame, job, scope, matrix, label }: LegPlan,
  called: LoadedWorkflow,
): Promise<Leg> {
  const reusable = job.job as ReusableWorkflowJob;
  const given = valueOf(reusable['input-values'], scope, {});
  const inputs = given && typeof given === 'object' && !Array.isArray(given) ? given : {};
  const secrets = reusable['inherit-secrets']
    ? frame.secrets
    : evaluateMapping(reusable['secret-values'], scope);
  run.log(`[${label}] calls ${reusable.ref.value}`);
  const workflow = await callWorkflow(run, called, inputs, secrets, `${label} / `, `job '${job.id}'`);
  return {
    matrix,
    conclusion: workflow.conclusion,
    outputs: workflow.outputs,
    steps: [],
    summary: '',
    workflow,
  };
}
