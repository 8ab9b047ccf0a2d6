import { UserFacingError, withInputNames, type Check } from '@recsys-actions/core';
import {
  rollBack,
  stepKey,
  waitForHealth,
  withRouterInputNames,
  withStepLock,
  type HealthResult,
  type RollbackOutcome,
  type RollbackRequest,
} from '@recsys-actions/release';
import type { ActionContext } from '@recsys-actions/runtime';
import { openReleaseStep } from '@recsys-actions/runtime/release-targets';
import type { RollbackInputs } from './inputs';

/** The fields of the release package's errors, as the inputs they came from. */
const REQUEST_FIELDS = { fromVersion: { input: 'from-version' }, toVersion: { input: 'to-version' } };

/** The step, with the faults its router finds while applying a split named as the `router-config` input's. */
export function rollBackTraffic(ctx: ActionContext<'rollback'>, inputs: RollbackInputs): Promise<void> {
  return withRouterInputNames(() => rollBackOnce(ctx, inputs));
}

/** Sends all traffic back to the rollback target, checks health and journals the rollback, given its inputs. */
async function rollBackOnce(ctx: ActionContext<'rollback'>, inputs: RollbackInputs): Promise<void> {
  const targets = openReleaseStep(ctx, inputs);
  const { place, router, ledger, publisher } = targets;
  const request = rollbackRequest(ctx, inputs);
  const health = request.health;
  const outcome = await withStepLock(router, place.environment, () =>
    withInputNames(REQUEST_FIELDS, () => rollBack(router, ledger, request, ctx.run, publisher.publish)),
  );
  for (const warning of outcome.warnings) ctx.warning(warning);
  const pushed = await publisher.finish(outcome.split);
  // Health after the switch is awaited outside the lock: the switch is done and recorded, and a second rollback
  // must not wait for this one's health check to start from the new state.
  const rolledBack = outcome.changed || outcome.already === 'this-step';
  const healthAfter = health && rolledBack ? await waitForHealth(health.url, health.timeoutMs) : undefined;
  const durationMs = Date.now() - ctx.startedAt.getTime();
  const from = outcome.from.join(',');

  ctx.setOutputs({
    'from-version': from,
    'to-version': outcome.to,
    'ended-shadow': outcome.endedShadow ?? '',
    'duration-ms': durationMs,
  });
  await ctx.publish({
    verdict: rolledBack ? 'rolled-back' : 'unchanged',
    title: rollbackTitle(inputs, outcome, durationMs),
    environment: inputs.environment,
    model: { version: outcome.to },
    checks: healthChecks(outcome.healthBefore, healthAfter),
    notes: [
      `Reason: ${inputs.reason}`,
      ...(outcome.endedShadow ? [shadowNote(outcome.endedShadow, outcome.previous)] : []),
      ...(outcome.disagreement ? [outcome.disagreement] : []),
      ...(health ? [] : ['No health-url was given, so health was not checked.']),
      ...outcome.warnings,
      ...pushed,
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
      already: outcome.already ?? null,
      // Only a rollback that ended a shadow says so, so other reports read as before.
      ...(outcome.endedShadow ? { endedShadow: outcome.endedShadow } : {}),
      journal: outcome.journal,
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

function rollbackRequest(ctx: ActionContext<'rollback'>, inputs: RollbackInputs): RollbackRequest {
  const { environment, fromVersion, toVersion, reason } = inputs;
  return {
    key: stepKey(ctx.run, 'rollback', {
      environment,
      from: fromVersion ?? null,
      to: toVersion ?? null,
      reason,
    }),
    environment,
    fromVersion,
    allowUnseen: inputs.allowUnseen,
    toVersion,
    reason,
    health: inputs.healthUrl && { url: inputs.healthUrl, timeoutMs: inputs.healthTimeoutMs },
  };
}

function rollbackTitle(inputs: RollbackInputs, outcome: RollbackOutcome, durationMs: number): string {
  const from = outcome.from.join(', ');
  switch (outcome.already) {
    case 'this-step': {
      const what =
        from === '' && outcome.endedShadow !== undefined
          ? `ended the shadow of ${outcome.endedShadow}, and ${outcome.to} kept answering every request`
          : `went from ${from} to ${outcome.to}`;
      return `This rollback already ran in this workflow run: ${inputs.environment} ${what}; nothing was done again.`;
    }
    case 'rolled-back':
      return inputs.fromVersion === undefined
        ? `${outcome.to} already takes all traffic in ${inputs.environment}; nothing was changed.`
        : `${inputs.fromVersion} takes no traffic in ${inputs.environment} (already rolled back); nothing was changed.`;
    default:
      if (from === '' && outcome.endedShadow !== undefined) {
        return `${inputs.environment} ended the shadow of ${outcome.endedShadow} in ${durationMs} ms; ${outcome.to} keeps answering every request.`;
      }
      return `${inputs.environment} rolled back from ${from} to ${outcome.to} in ${durationMs} ms.`;
  }
}

/** A shadow took no traffic, so ending it is said apart from the versions the rollback took out. */
function shadowNote(version: string, previous: RollbackOutcome['previous']): string {
  const percent = previous.mirror?.version === version ? ` (${previous.mirror.percent} % of requests)` : '';
  return `The shadow of ${version} ended: it no longer receives mirrored requests${percent}. It took no traffic, so users only ever saw answers from the versions in the split.`;
}

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
