import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';
import { readActionManifest, runAction } from '@recsys-actions/testkit';
import { downloadArtifact, uploadArtifact } from './artifacts';
import { evaluateMapping } from './expressions';
import { absorbCommandFiles, newCommandFiles, processEnv, stepScope, type LegState } from './leg-state';
import { child, type LoadedStep } from './load';
import type { StepOutcome } from './step-outcome';

/** Runs a `uses:` step: the stubs for GitHub's checkout and artifact actions, or a node action's built dist. */
export async function runActionStep(
  state: LegState,
  loaded: LoadedStep,
  stepEnv: Record<string, string>,
  timeoutMs: number,
): Promise<StepOutcome> {
  const inputs = evaluateMapping(child(loaded.raw, 'with'), stepScope(state, { ...state.env, ...stepEnv }));
  const action = loaded.action;
  if (action?.kind === 'checkout') return checkout(state, inputs);
  if (action?.kind === 'upload-artifact')
    return uploadArtifact(state.run.artifactsDir, state.workspace, inputs);
  if (action?.kind === 'download-artifact')
    return downloadArtifact(state.run.artifactsDir, state.workspace, inputs);
  if (action?.kind === 'suite')
    return runNodeAction(state, action.dir, action.name, inputs, stepEnv, timeoutMs);
  if (action?.kind === 'workspace') {
    const dir = resolve(state.workspace, action.path);
    if (!existsSync(join(dir, 'action.yml')))
      throw new UserFacingError(
        `./${action.path} has no action.yml in the job's workspace; add an actions/checkout step before it.`,
      );
    return runNodeAction(state, dir, action.path, inputs, stepEnv, timeoutMs);
  }
  throw new UserFacingError('a uses: step without an action');
}

/** A fresh clone of the run's repository into the job's workspace, at github.sha (or the `ref` input). */
function checkout(state: LegState, inputs: Record<string, string>): StepOutcome {
  const target = resolve(state.workspace, inputs.path ?? '.');
  const github = state.contexts.github as Record<string, string>;
  const git = (args: string[], cwd: string) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  try {
    git(['clone', '--quiet', '--no-hardlinks', state.run.repo, target], state.workspace);
    git(
      ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', ...checkoutTarget(inputs.ref, github.sha)],
      target,
    );
  } catch (error) {
    return {
      ok: false,
      stdout: '',
      stderr: String((error as { stderr?: string }).stderr ?? error),
      outputs: {},
    };
  }
  const commit = git(['rev-parse', 'HEAD'], target).trim();
  return {
    ok: true,
    stdout: `Cloned ${state.run.repo} at ${commit} into ${target}\n`,
    stderr: '',
    outputs: { commit },
  };
}

/**
 * A branch ref is checked out as that branch at the remote's head, as actions/checkout does, so a job that
 * pushes starts from what earlier jobs pushed; anything else (a SHA, a tag) is checked out detached.
 */
function checkoutTarget(ref: string | undefined, sha: string | undefined): string[] {
  const branch = /^refs\/heads\/(.+)$/.exec(ref ?? '')?.[1];
  if (branch) return ['-B', branch, `refs/remotes/origin/${branch}`];
  return [ref || sha || 'HEAD'];
}

/**
 * A node action run exactly as GitHub's runner does, through testkit's runAction (INPUT_*, GITHUB_OUTPUT,
 * the step summary, the event file) with the job's environment. Inputs its action.yml does not declare are
 * dropped with a warning, as the runner does.
 */
async function runNodeAction(
  state: LegState,
  dir: string,
  name: string,
  given: Record<string, string>,
  stepEnv: Record<string, string>,
  timeoutMs: number,
): Promise<StepOutcome> {
  const manifest = readActionManifest(name, dir);
  if (!manifest.runs.using.startsWith('node'))
    throw new UserFacingError(`${name} runs '${manifest.runs.using}'; this runner runs node actions only.`);
  const declared = manifest.inputs ?? {};
  const unexpected = Object.keys(given).filter((input) => !(input in declared));
  const inputs = Object.fromEntries(Object.entries(given).filter(([input]) => input in declared));
  const files = newCommandFiles(state);
  const github = state.contexts.github as Record<string, string>;
  // runAction makes and reads its own output, summary and event files; the env and path files are ours.
  const {
    GITHUB_OUTPUT: _output,
    GITHUB_STEP_SUMMARY: _summary,
    GITHUB_EVENT_PATH: _event,
    ...env
  } = processEnv(state, stepEnv, files);
  const run = await runAction({
    action: name.replace(/\W+/g, '-'),
    actionDir: dir,
    inputs,
    env,
    workspace: state.workspace,
    event: {
      name: github.event_name ?? 'push',
      payload: JSON.parse(readFileSync(github.event_path ?? '', 'utf8')),
    },
    token: github.token ?? '',
    timeoutMs,
    signal: state.running?.stop.signal,
  });
  absorbCommandFiles(state, files, run.summary);
  const warning = unexpected.length
    ? `::warning::Unexpected input(s) ${unexpected.join(', ')} for ${name}\n`
    : '';
  return {
    ok: run.exitCode === 0,
    stdout: warning + run.stdout,
    stderr: run.stderr,
    outputs: run.outputs,
    failure: run.exitCode === 0 ? undefined : `exited with code ${run.exitCode}`,
  };
}
