import { UserFacingError, type Check, type ShellExec } from '@recsys-actions/core';
import { tookEffect, type Ledger } from '@recsys-actions/ledger';
import { describeSplit, sameSplit, type Router, type Split } from '@recsys-actions/traffic';
import type { HealthResult } from './health';
import type { RunProvenance } from './provenance';
import type { PublishChange } from './journaled-step';
import { rollBack, type RollbackOutcome } from './rollback';
import { byWeight } from './rollback-target';
import { liveStable, requestedSplit, shiftTraffic, type ShiftOutcome, type ShiftRequest } from './shift';
import { withStepLock } from './step-lock';

/** Runs a user's shell script (see ShellExec); the action runtime implements it, tests pass their own. */
export type ExecPort = ShellExec;

export interface GuardPorts {
  exec: ExecPort;
  /** Polls `url` until it answers 2xx or `timeoutMs` has passed (waitForHealth). */
  waitForHealth: (url: URL, timeoutMs: number) => Promise<HealthResult>;
  /** Called once the checks passed, just before traffic may move: a workflow rolls back only after it. */
  beforeSwitch?: () => void;
  /** Makes the shift, and a restore, live where the router alone does not (see PublishChange). */
  publish?: PublishChange;
}

/** What guards a shift: a deploy before it, checks of the target before traffic moves, health after. */
export interface ShiftGuards {
  deployCommand?: string;
  /** Passed to the scripts as RECSYS_MODEL_PATH. */
  modelPath?: string;
  /** The target version reached directly; `{version}` is replaced by the version. */
  targetHealthUrl?: string;
  smokeCommand?: string;
  /** Polled through the router after the switch; a failure restores the version that served before. */
  healthUrl?: URL;
  healthTimeoutMs: number;
}

export interface GuardedShiftRequest {
  environment: string;
  shift: ShiftRequest;
  guards: ShiftGuards;
  /** The journal key of the step that restores the previous version when health fails after the switch. */
  restoreKey: string;
}

export interface GuardedShiftOutcome {
  shift: ShiftOutcome;
  /** What the guards found, in the order they ran. */
  checks: Check[];
  /** The rollback that put the previous version back after health-url failed. */
  restore?: RollbackOutcome;
  /** Set when health-url failed after the switch: what failed and what was done about it. */
  failure?: string;
}

/** The split a step will apply, decided from what serves before anything runs. */
interface ShiftPlan {
  observed?: Split;
  split: Split;
  /** The version serving besides the target now: kept at a canary weight, replaced at 100. */
  serving?: string;
}

/**
 * A shift with guards: deploy-command runs first, then the target version must answer target-health-url and
 * pass smoke-command before any traffic moves (a failure there changes and journals nothing). After the switch
 * health-url is polled; when it fails, a second journaled step rolls the target back to the version that served
 * before. The deploy runs on every attempt, a re-run too, outside the step lock (it may take minutes).
 */
export async function guardedShift(
  router: Router,
  ledger: Ledger,
  request: GuardedShiftRequest,
  run: RunProvenance,
  ports: GuardPorts,
): Promise<GuardedShiftOutcome> {
  const checks = await checkBeforeTheSwitch(router, ledger, request, ports);
  ports.beforeSwitch?.();
  const shift = await withStepLock(router, request.environment, () =>
    shiftTraffic(router, ledger, request.shift, run, ports.publish),
  );
  const { guards } = request;
  if (guards.healthUrl === undefined) return { shift, checks };
  const health = await ports.waitForHealth(guards.healthUrl, guards.healthTimeoutMs);
  checks.push(healthCheck('health after', health));
  if (health.healthy) return { shift, checks };
  const problem = `${unhealthy(guards.healthUrl, guards, health)} after the switch`;
  return {
    shift,
    checks,
    ...(await restorePrevious(router, ledger, request, run, shift, problem, ports.publish)),
  };
}

/** deploy-command, then target-health-url and smoke-command; any failure throws before traffic is touched. */
async function checkBeforeTheSwitch(
  router: Router,
  ledger: Ledger,
  request: GuardedShiftRequest,
  ports: GuardPorts,
): Promise<Check[]> {
  const { guards, shift } = request;
  const checks: Check[] = [];
  if ([guards.deployCommand, guards.targetHealthUrl, guards.smokeCommand].every((g) => g === undefined)) {
    return checks;
  }
  const plan = await planShift(router, ledger, shift);
  const env = commandEnvironment(request, plan);
  const untouched = `Nothing was changed: ${request.environment} still routes ${plan.observed ? describeSplit(plan.observed) : 'nothing'}.`;
  const script = async (input: string, command: string | undefined) => {
    if (command === undefined) return;
    const { exitCode } = await ports.exec(command, { env, label: `${input} (${shift.canary})` });
    checks.push(commandCheck(input, exitCode));
    if (exitCode !== 0) throw new UserFacingError(`The ${input} exited with code ${exitCode}. ${untouched}`);
  };
  await script('deploy-command', guards.deployCommand);
  if (guards.targetHealthUrl !== undefined) {
    const url = targetUrl(guards.targetHealthUrl, shift.canary);
    const health = await ports.waitForHealth(url, guards.healthTimeoutMs);
    checks.push(healthCheck('target health', health));
    if (!health.healthy) throw new UserFacingError(`${unhealthy(url, guards, health)}. ${untouched}`);
  }
  await script('smoke-command', guards.smokeCommand);
  return checks;
}

/** The version `{version}` names in target-health-url, percent-encoded as a URL part must be. */
export function targetUrl(template: string, version: string): URL {
  return new URL(template.replaceAll('{version}', encodeURIComponent(version)));
}

/** What a script sees; values travel in the environment, never in the command line, so none can inject. */
function commandEnvironment(request: GuardedShiftRequest, plan: ShiftPlan): Record<string, string> {
  return {
    RECSYS_ENVIRONMENT: request.environment,
    RECSYS_VERSION: request.shift.canary,
    RECSYS_STABLE_VERSION: plan.serving ?? '',
    RECSYS_MODEL_PATH: request.guards.modelPath ?? '',
    RECSYS_SPLIT: JSON.stringify(plan.split),
  };
}

/**
 * The split the shift will apply, as shiftTraffic decides it: the one this step already applied in an earlier
 * attempt, else the requested one around the live stable version. Read-only: the journal is not reconciled here.
 */
async function planShift(router: Router, ledger: Ledger, shift: ShiftRequest): Promise<ShiftPlan> {
  const observed = await router.observe();
  const serving = observed && byWeight(observed).find((version) => version !== shift.canary);
  const { own } = await ledger.read(shift.key);
  if (own !== undefined && tookEffect(own)) {
    return { observed, split: own.intent.to, serving: own.intent.stable ?? serving };
  }
  const stable = liveStable(shift, observed);
  return { observed, split: requestedSplit(shift, stable), serving: stable ?? serving };
}

/**
 * Rolls the target back to the version that carried most of the other traffic before the step. A step that
 * moved nothing, or one before which nothing else served, has nothing to restore.
 */
async function restorePrevious(
  router: Router,
  ledger: Ledger,
  request: GuardedShiftRequest,
  run: RunProvenance,
  shift: ShiftOutcome,
  problem: string,
  publish: PublishChange | undefined,
): Promise<Pick<GuardedShiftOutcome, 'restore' | 'failure'>> {
  const { previous, split } = shift;
  const back = previous && byWeight(previous).find((version) => version !== request.shift.canary);
  if (previous === undefined || sameSplit(previous, split) || back === undefined) {
    const before =
      previous === undefined ? 'nothing was routed before' : `it routed ${describeSplit(previous)}`;
    return { failure: `${problem}; there is no previous version to restore (${before}).` };
  }
  const rollback = {
    key: request.restoreKey,
    environment: request.environment,
    fromVersion: request.shift.canary,
    toVersion: back,
    reason: problem.slice(0, 500),
  };
  try {
    const restore = await withStepLock(router, request.environment, () =>
      rollBack(router, ledger, rollback, run, publish),
    );
    return {
      restore,
      failure: `${problem}, so traffic was restored to ${describeSplit(restore.split)} and ${request.shift.canary} is recorded as rolled back.`,
    };
  } catch (error) {
    throw new UserFacingError(
      `${problem}, and restoring ${back} failed: ${(error as Error).message} ${request.environment} still routes ${describeSplit(split)}; roll back with the rollback action.`,
    );
  }
}

function unhealthy(url: URL, guards: ShiftGuards, health: HealthResult): string {
  return `${url.href} did not answer 2xx within ${guards.healthTimeoutMs} ms (last answer: ${health.answer})`;
}

function commandCheck(input: string, exitCode: number): Check {
  return { name: input, status: exitCode === 0 ? 'pass' : 'fail', value: exitCode, threshold: 'exit code 0' };
}

function healthCheck(name: string, health: HealthResult): Check {
  return {
    name,
    status: health.healthy ? 'pass' : 'fail',
    value: health.elapsedMs,
    threshold: '2xx',
    message: `${health.answer} after ${health.attempts} attempt(s), ${health.elapsedMs} ms`,
  };
}
