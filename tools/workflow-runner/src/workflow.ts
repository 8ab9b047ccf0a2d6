import { relative, resolve } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';
import { repoRoot } from '@recsys-actions/testkit';
import { evaluateMapping, ExpressionError, type Scope, type Value } from './expressions';
import { resolveInputs, resolveSecrets } from './inputs';
import { concurrencyGroup, runJob, type Finished } from './job';
import { loadWorkflow, mappingChild, type LoadedJob, type LoadedWorkflow } from './load';
import type { Frame, JobResult, Run, RunWorkflowOptions, WorkflowResult } from './run-context';
import { gitTopLevel, startRun } from './run-setup';

/**
 * Runs a workflow file's jobs on this machine, in `needs` order, and returns every job's conclusion and
 * outputs. Throws a UserFacingError before any job starts when the workflow, its inputs or an action it uses
 * cannot be run here.
 */
export async function runWorkflow(file: string, options: RunWorkflowOptions = {}): Promise<WorkflowResult> {
  const repo = resolve(options.repo ?? gitTopLevel(process.cwd()));
  const suiteRoot = repoRoot();
  const workflow = await loadWorkflow(
    resolve(file),
    definingRepository(resolve(file), repo, suiteRoot),
    suiteRoot,
  );
  const events = Object.keys(workflow.template.events ?? {});
  const event = options.event ?? (events.includes('workflow_dispatch') ? 'workflow_dispatch' : events[0]);
  if (!event || !events.includes(event))
    throw new UserFacingError(
      `${file} does not run on '${event}'; it runs on: ${events.join(', ')}. Example: --event ${events[0]}`,
    );
  const inputs = topLevelInputs(workflow, event, options.inputs ?? {});
  const run = startRun(options, repo, suiteRoot, workflow, event, inputs);
  const declaredSecrets =
    event === 'workflow_call' ? workflow.template.events.workflow_call?.secrets : undefined;
  const secrets = { GITHUB_TOKEN: String(run.github.token), ...options.secrets };
  if (declaredSecrets) resolveSecrets(declaredSecrets, options.secrets ?? {}, 'the command line');
  return runFrame(run, { workflow, inputs, secrets, prefix: '' });
}

/**
 * The repository a workflow's `./` references resolve into: the one holding the file. A reusable workflow of
 * this checkout run directly (say weekly-training.yml against a model repository) calls its siblings here,
 * as it does on GitHub, where they come from the same commit as itself.
 */
function definingRepository(file: string, repo: string, suiteRoot: string): string {
  const inside = (folder: string) => !relative(folder, file).startsWith('..');
  return inside(suiteRoot) && !inside(repo) ? suiteRoot : repo;
}

function topLevelInputs(workflow: LoadedWorkflow, event: string, given: Record<string, string>) {
  const events = workflow.template.events;
  if (event === 'workflow_dispatch')
    return resolveInputs(events.workflow_dispatch?.inputs, given, 'the command line');
  if (event === 'workflow_call')
    return resolveInputs(events.workflow_call?.inputs, given, 'the command line');
  if (Object.keys(given).length > 0)
    throw new UserFacingError(
      `--input applies to workflow_dispatch and workflow_call runs, not to '${event}'.`,
    );
  return {};
}

/** A workflow called by a reusable job, with inputs and secrets checked against its workflow_call. */
export function callWorkflow(
  run: Run,
  workflow: LoadedWorkflow,
  given: Record<string, Value>,
  secrets: Record<string, string>,
  prefix: string,
  where: string,
): Promise<WorkflowResult> {
  const call = workflow.template.events.workflow_call;
  if (!call && !('workflow_call' in (workflow.template.events ?? {})))
    throw new UserFacingError(`${workflow.file} is called by ${where} but has no 'on: workflow_call'.`);
  const inputs = resolveInputs(call?.inputs, given, where);
  // As on GitHub, a called workflow always has the run's token, whatever secrets its caller passes.
  const passed = { GITHUB_TOKEN: String(run.github.token), ...resolveSecrets(call?.secrets, secrets, where) };
  return runFrame(run, { workflow, inputs, secrets: passed, prefix });
}

async function runFrame(run: Run, frame: Frame): Promise<WorkflowResult> {
  const cancelled = run.options.signal?.aborted === true;
  const scope: Scope = {
    contexts: { github: run.github, inputs: frame.inputs, vars: {} },
    status: { success: !cancelled, failure: false, cancelled },
  };
  const concurrency = concurrencyGroup(frame.workflow.template.concurrency, scope);
  run.log(
    `workflow ${frame.workflow.file}${frame.prefix ? ` (called by ${frame.prefix.slice(0, -3)})` : ''}`,
  );
  if (concurrency) run.log(`concurrency group: ${concurrency}`);
  const finished: Finished = {};
  for (const job of inNeedsOrder(frame.workflow))
    finished[job.id] = await runJobOrFail(run, frame, job, finished);
  const conclusions = Object.values(finished).map((job) => job.conclusion);
  const jobs = Object.fromEntries(
    Object.entries(finished).map(([id, job]) => [id, { result: job.conclusion, outputs: job.outputs }]),
  );
  const outputs = evaluateMapping(callOutputs(frame.workflow), {
    ...scope,
    contexts: { ...scope.contexts, jobs },
  });
  return {
    file: frame.workflow.file,
    // As on GitHub, a cancelled run is cancelled, whatever the jobs that still ran concluded.
    conclusion: run.options.signal?.aborted
      ? 'cancelled'
      : conclusions.includes('failure')
        ? 'failure'
        : 'success',
    outputs,
    jobs: finished,
    ...(concurrency && { concurrency }),
    artifactsDir: run.artifactsDir,
    attempt: {
      runId: String(run.github.run_id),
      number: Number(run.github.run_attempt),
      sha: String(run.github.sha),
      ref: String(run.github.ref),
    },
  };
}

/** A job whose own settings (if:, strategy:, with:) do not evaluate fails, and the run goes on. */
async function runJobOrFail(run: Run, frame: Frame, job: LoadedJob, finished: Finished): Promise<JobResult> {
  try {
    return await runJob(run, frame, job, finished);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    run.log(`[${frame.prefix}${job.id}] error: ${error.message}`);
    return { conclusion: 'failure', outputs: {}, legs: [] };
  }
}

/** `on.workflow_call.outputs.<name>.value`, which the parser's converter leaves out, as name → value token. */
function callOutputs(workflow: LoadedWorkflow) {
  const outputs = mappingChild(mappingChild(mappingChild(workflow.root, 'on'), 'workflow_call'), 'outputs');
  if (!outputs) return undefined;
  const values = outputs.clone() as typeof outputs;
  while (values.count > 0) values.remove(0);
  for (const pair of outputs) {
    const value = mappingChild(outputs, pair.key.toString())?.find('value');
    if (value) values.add(pair.key, value);
  }
  return values;
}

/** The jobs in an order that runs every job after the jobs it needs, otherwise in file order. */
function inNeedsOrder(workflow: LoadedWorkflow) {
  const order: typeof workflow.jobs = [];
  const placed = new Set<string>();
  while (order.length < workflow.jobs.length) {
    const next = workflow.jobs.find(
      (job) => !placed.has(job.id) && (job.job.needs ?? []).every((need) => placed.has(need.value)),
    );
    if (!next) throw new UserFacingError(`${workflow.file}: the jobs' needs form a cycle.`);
    order.push(next);
    placed.add(next.id);
  }
  return order;
}
