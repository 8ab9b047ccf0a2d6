import { isBasicExpression } from '@actions/workflow-parser';
import type { ActionStep, RunStep } from '@actions/workflow-parser/model/workflow-template';
import { UserFacingError } from '@recsys-actions/core';
import { commandMessages } from '@recsys-actions/testkit';
import { runActionStep } from './action-step';
import { evaluateExpression, evaluateMapping, evaluateText, evaluateToken, isTruthy } from './expressions';
import { stepScope, type LegState } from './leg-state';
import { renderOutput } from './log-output';
import { child, type LoadedStep } from './load';
import type { Conclusion, StepResult } from './run-context';
import { runShellStep } from './shell-step';
import type { StepOutcome } from './step-outcome';

/**
 * Runs one step of a leg: its `if:` (status functions see the steps before it), its env, the step itself,
 * then `continue-on-error`. Records `steps.<id>` and marks the leg failed when the step's conclusion is failure.
 * A step stopped by a cancellation of the run (see cancelLeg) is cancelled.
 */
export async function runStep(state: LegState, loaded: LoadedStep): Promise<StepResult> {
  const { step } = loaded;
  const name = displayName(state, loaded);
  if (!conditionHolds(state, loaded)) {
    state.steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
    state.run.log(`${state.label} - ${name}: skipped`);
    return { id: step.id, name, outcome: 'skipped', conclusion: 'skipped', outputs: {}, errors: [] };
  }
  state.run.log(`${state.label} > ${name}`);
  const stop = new AbortController();
  state.running = { step: loaded, stop };
  const outcome = await attempt(state, loaded).finally(() => (state.running = undefined));
  if (stop.signal.aborted) outcome.failure = 'was cancelled';
  const secrets = Object.values(state.frame.secrets);
  for (const line of renderOutput(`${outcome.stdout}${outcome.stderr}`, secrets))
    state.run.log(`${state.label}   ${line}`);
  const errors = commandMessages(outcome.stdout, 'error');
  if (outcome.failure) {
    errors.push(`${name} ${outcome.failure}`);
    state.run.log(`${state.label}   error: ${name} ${outcome.failure}`);
  }
  const result: Conclusion = stop.signal.aborted ? 'cancelled' : outcome.ok ? 'success' : 'failure';
  const continues = result === 'failure' && isTruthy(evaluateStepValue(state, loaded, 'continue-on-error'));
  const conclusion: Conclusion = continues ? 'success' : result;
  state.steps[step.id] = { outputs: outcome.outputs, outcome: result, conclusion };
  if (conclusion === 'failure') state.failed = true;
  const verb = { success: 'ok', failure: 'FAILED', cancelled: 'CANCELLED', skipped: 'skipped' }[result];
  state.run.log(`${state.label} ${verb} ${name}${continues ? ' (continue-on-error)' : ''}`);
  return { id: step.id, name, outcome: result, conclusion, outputs: outcome.outputs, errors };
}

/**
 * Cancels a running leg, as GitHub's runner cancels a job: later steps run only when their if: holds with
 * cancelled() true, and the running step is stopped unless its own if: still holds (always(), cancelled()).
 */
export function cancelLeg(state: LegState): void {
  state.cancelled = true;
  const running = state.running;
  if (!running || conditionHolds(state, running.step)) return;
  state.run.log(`${state.label}   cancelling ${displayName(state, running.step)}`);
  running.stop.abort();
}

function conditionHolds(state: LegState, loaded: LoadedStep): boolean {
  return isTruthy(evaluateExpression(loaded.step.if?.expression ?? 'success()', stepScope(state)));
}

/** The step itself; a mistake in the step's own settings fails the step with its message, as on GitHub. */
async function attempt(state: LegState, loaded: LoadedStep): Promise<StepOutcome> {
  try {
    const stepEnv = evaluateMapping((loaded.step as RunStep | ActionStep).env, stepScope(state));
    const minutes = Number(evaluateStepValue(state, loaded, 'timeout-minutes') || Infinity);
    // setTimeout fires at once past 2^31 - 1 ms, so longer limits are capped there (about 24 days).
    const timeoutMs = Math.min(minutes * 60_000, state.deadline - Date.now(), 2 ** 31 - 1);
    if ('run' in loaded.step) return await runShellStep(state, loaded, stepEnv, timeoutMs);
    return await runActionStep(state, loaded, stepEnv, timeoutMs);
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    return { ok: false, stdout: `::error::${error.message}\n`, stderr: '', outputs: {} };
  }
}

function evaluateStepValue(
  state: LegState,
  loaded: LoadedStep,
  key: 'continue-on-error' | 'timeout-minutes',
) {
  const token = child(loaded.raw, key);
  return token === undefined ? null : evaluateToken(token, stepScope(state));
}

function displayName(state: LegState, loaded: LoadedStep): string {
  const { step } = loaded;
  if (step.name) return evaluateText(step.name, stepScope(state));
  if ('uses' in step) return `Run ${(step as ActionStep).uses.value}`;
  const run = (step as RunStep).run;
  // The script as written, not the format() the parser turns `${{ }}` inside it into.
  const text = isBasicExpression(run) ? (run.source ?? run.toDisplayString()) : run.toDisplayString();
  return `Run ${text.trim().split('\n')[0]}`;
}
