import { UserFacingError, type Check } from '@recsys-actions/core';
import {
  eventSummaries,
  rollBack,
  waitForHealth,
  withRouterInputNames,
  withStepLock,
  type HealthResult,
} from '@recsys-actions/release';
import { runAction, type ActionContext } from '@recsys-actions/runtime';
import { openReleaseStep } from '@recsys-actions/runtime/release-targets';

import { readRollbackInputs } from './inputs';

/** The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). */
export function run(): Promise<void> {
  return runAction('rollback', (ctx) => withRouterInputNames(() => rollBackTraffic(ctx)));
}

/** Sends all traffic back to the rollback target, checks health and records the rollback. */
export async function rollBackTraffic(ctx: ActionContext<'rollback'>): Promise<void> {
  const inputs = readRollbackInputs(ctx.read, ctx.run.workspace);
  const { place, router, ledger } = openReleaseStep(ctx, inputs);
  const health = inputs.healthUrl && { url: inputs.healthUrl, timeoutMs: inputs.healthTimeoutMs };

  const outcome = await withStepLock(router, place.environment, () =>
    rollBack(
      router,
      ledger,
      { environment: inputs.environment, toVersion: inputs.toVersion, reason: inputs.reason, health },
      ctx.run,
    ),
  );
  for (const warning of outcome.warnings) ctx.warning(warning);
  // Health after the switch is awaited outside the lock: the switch is done and recorded, and a second rollback
  // must not wait for this one's health check to start from the new state.
  const healthAfter =
    health && outcome.changed ? await waitForHealth(health.url, health.timeoutMs) : undefined;
  const durationMs = Date.now() - ctx.startedAt.getTime();
  const from = outcome.from.join(',');

  ctx.setOutputs({ 'from-version': from, 'to-version': outcome.to, 'duration-ms': durationMs });
  await ctx.publish({
    verdict: outcome.changed ? 'rolled-back' : 'unchanged',
    title: outcome.changed
      ? `${inputs.environment} rolled back from ${from} to ${outcome.to} in ${durationMs} ms.`
      : `${outcome.to} already takes all traffic in ${inputs.environment}; nothing was changed or recorded.`,
    environment: inputs.environment,
    model: { version: outcome.to },
    checks: healthChecks(outcome.healthBefore, healthAfter),
    notes: [
      `Reason: ${inputs.reason}`,
      ...(health ? [] : ['No health-url was given, so health was not checked.']),
      ...outcome.warnings,
    ],
    details: {
      from,
      fromVersions: outcome.from,
      to: outcome.to,
      reason: inputs.reason,
      healthBefore: outcome.healthBefore ?? null,
      healthAfter: healthAfter ?? null,
      durationMs,
      previousSplit: outcome.previous,
      split: outcome.split,
      router: router.description,
      ledger: ledger.description,
      recorded: eventSummaries(outcome.recorded),
    },
  });
  if (health && healthAfter && !healthAfter.healthy) {
    throw new UserFacingError(
      `Rolled back ${inputs.environment} to ${outcome.to}, but ${health.url.href} did not answer 2xx within ` +
        `${inputs.healthTimeoutMs} ms (last answer: ${healthAfter.answer}). Traffic stays on ${outcome.to}; ` +
        `it is never routed back to ${from}. Investigate ${outcome.to}, or roll back further with to-version.`,
    );
  }
}

/** Unhealthy before the switch is expected (it is often why the rollback runs), so it only warns. */
/** Before the switch a failed probe is only a warning (the reason to roll back); after it, a failure. */
function healthChecks(before: HealthResult | undefined, after: HealthResult | undefined): Check[] {
  return [healthCheck('health before', before, 'warn'), healthCheck('health after', after, 'fail')].filter(
    (check) => check !== undefined,
  );
}

function healthCheck(
  name: string,
  result: HealthResult | undefined,
  unhealthy: Check['status'],
): Check | undefined {
  if (!result) return undefined;
  return {
    name,
    status: result.healthy ? 'pass' : unhealthy,
    value: result.elapsedMs,
    threshold: '2xx',
    message: `${result.answer} after ${result.attempts} attempt(s), ${result.elapsedMs} ms`,
  };
}
