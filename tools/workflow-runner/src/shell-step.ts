import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunStep } from '@actions/workflow-parser/model/workflow-template';
import { UserFacingError } from '@recsys-actions/core';
import { parseOutputFile } from '@recsys-actions/testkit';
import { evaluateText } from './expressions';
import { absorbCommandFiles, newCommandFiles, processEnv, stepScope, type LegState } from './leg-state';
import type { LoadedStep } from './load';
import { child, mappingChild } from './load';
import { runProcess } from './process';
import type { StepOutcome } from './step-outcome';

/** How GitHub's Linux runner starts each `shell:` value; `{0}` is the script file. */
const shells: Record<string, string[]> = {
  bash: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}'],
  sh: ['sh', '-e', '{0}'],
  python: ['python3', '{0}'],
};

/** Runs a `run:` step with the job's shell in its working directory, collecting GITHUB_OUTPUT and friends. */
export async function runShellStep(
  state: LegState,
  loaded: LoadedStep,
  stepEnv: Record<string, string>,
  timeoutMs: number,
): Promise<StepOutcome> {
  const scope = stepScope(state, { ...state.env, ...stepEnv });
  const script = evaluateText((loaded.step as RunStep).run, scope);
  const shell = evaluateText(child(loaded.raw, 'shell') ?? runDefault(state, 'shell'), scope) || 'bash';
  const directory = evaluateText(
    child(loaded.raw, 'working-directory') ?? runDefault(state, 'working-directory'),
    scope,
  );
  const files = newCommandFiles(state);
  const scriptFile = join(files.output, '..', 'script');
  writeFileSync(scriptFile, script);
  const [command = 'bash', ...args] = shellCommand(shell).map((part) => part.replace('{0}', scriptFile));
  const result = await runProcess(command, args, {
    cwd: resolve(state.workspace, directory),
    env: processEnv(state, stepEnv, files),
    timeoutMs,
    signal: state.running?.stop.signal,
  });
  absorbCommandFiles(state, files);
  return {
    ok: result.exitCode === 0,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    failure: result.timedOut
      ? 'was killed: it ran past timeout-minutes'
      : result.exitCode === 0
        ? undefined
        : `exited with code ${result.exitCode}`,
  };
}

function shellCommand(shell: string): string[] {
  const known = shells[shell];
  if (known) return known;
  if (!shell.includes('{0}'))
    throw new UserFacingError(
      `shell '${shell}' is not bash, sh or python and has no {0}. Example: shell: bash`,
    );
  return shell.split(/\s+/);
}

/** `defaults.run.<key>` of the job, else of the workflow. */
function runDefault(state: LegState, key: 'shell' | 'working-directory') {
  const fromJob = child(mappingChild(mappingChild(state.job.raw, 'defaults'), 'run'), key);
  return fromJob ?? child(mappingChild(mappingChild(state.frame.workflow.root, 'defaults'), 'run'), key);
}
