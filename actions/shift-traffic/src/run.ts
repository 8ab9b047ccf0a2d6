import { eventSummaries, shiftTraffic, withRouterInputNames, withStepLock } from '@recsys-actions/release';
import { runAction, type ActionContext } from '@recsys-actions/runtime';
import { openReleaseStep } from '@recsys-actions/runtime/release-targets';
import { describeSplit } from '@recsys-actions/traffic';
import { readShiftInputs } from './inputs';

/** The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). */
export function run(): Promise<void> {
  return runAction('shift-traffic', (ctx) => withRouterInputNames(() => shiftTrafficStep(ctx)));
}

/** Moves traffic to the requested split and records it in the ledger. */
export async function shiftTrafficStep(ctx: ActionContext<'shift-traffic'>): Promise<void> {
  const inputs = readShiftInputs(ctx.read, ctx.run.workspace);
  const { place, router, ledger } = openReleaseStep(ctx, inputs);

  const request = {
    stable: inputs.stableVersion,
    canary: inputs.canaryVersion,
    weight: inputs.canaryWeight,
    stickiness: inputs.stickiness,
    modelSha256: inputs.modelSha256,
  };
  const outcome = await withStepLock(router, place.environment, () =>
    shiftTraffic(router, ledger, request, ctx.run),
  );
  for (const warning of outcome.warnings) ctx.warning(warning);

  const now = describeSplit(outcome.split);
  ctx.info(outcome.changed ? `${inputs.environment}: ${now}` : `${inputs.environment} already routes ${now}`);
  ctx.setOutputs({ 'previous-split': outcome.previous, split: outcome.split, changed: outcome.changed });
  await ctx.publish({
    verdict: outcome.changed ? 'shifted' : 'unchanged',
    title: outcome.changed
      ? `${inputs.environment} now routes ${now}${inputs.canaryWeight === 100 ? `: ${inputs.canaryVersion} is promoted` : ''}.`
      : `${inputs.environment} already routes ${now}; nothing was changed or recorded.`,
    environment: inputs.environment,
    model: {
      version: inputs.canaryVersion,
      baselineVersion: inputs.stableVersion,
      sha256: inputs.modelSha256,
    },
    notes: outcome.warnings,
    details: {
      previousSplit: outcome.previous ?? null,
      split: outcome.split,
      changed: outcome.changed,
      router: router.description,
      ledger: ledger.description,
      recorded: eventSummaries(outcome.recorded),
    },
  });
}
