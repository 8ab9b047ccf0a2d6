import { UserFacingError, withInputNames } from '@recsys-actions/core';
import {
  guardedShift,
  stepKey,
  waitForHealth,
  withRouterInputNames,
  type ShiftOutcome,
  type ShiftRequest,
} from '@recsys-actions/release';
import type { ActionContext } from '@recsys-actions/runtime';
import { openReleaseStep } from '@recsys-actions/runtime/release-targets';
import { describeSplit } from '@recsys-actions/traffic';
import { guardedRequest } from './guards';
import type { ShiftInputs } from './inputs';

/** The fields of the release package's errors, as the inputs they came from. */
const REQUEST_FIELDS = { stable: { input: 'stable-version' }, mode: { input: 'mode' } };

/** The step, with the faults its router finds while applying a split named as the `router-config` input's. */
export function shiftTrafficStep(ctx: ActionContext<'shift-traffic'>, inputs: ShiftInputs): Promise<void> {
  return withRouterInputNames(() => shiftOnce(ctx, inputs));
}

/** Moves traffic to the requested split and journals it, given the step's inputs. */
async function shiftOnce(ctx: ActionContext<'shift-traffic'>, inputs: ShiftInputs): Promise<void> {
  const targets = openReleaseStep(ctx, inputs);
  const { place, router, ledger, publisher } = targets;
  const request = shiftRequest(ctx, inputs);
  const guarded = guardedRequest(ctx.run, place.environment, request, inputs);
  const { shift: outcome, ...guards } = await withInputNames(REQUEST_FIELDS, () =>
    guardedShift(router, ledger, guarded, ctx.run, {
      exec: ctx.exec,
      waitForHealth,
      beforeSwitch: () => ctx.setOutputs({ 'switch-started': true }),
      publish: publisher.publish,
    }),
  );
  for (const warning of [...outcome.warnings, ...(guards.restore?.warnings ?? [])]) ctx.warning(warning);
  const pushed = await publisher.finish(guards.restore?.split ?? outcome.split);

  const now = describeSplit(outcome.split);
  ctx.info(outcome.changed ? `${inputs.environment}: ${now}` : `${inputs.environment} already routes ${now}`);
  ctx.setOutputs({
    'previous-split': outcome.previous,
    split: guards.restore?.split ?? outcome.split,
    changed: outcome.changed,
    'stable-version': outcome.stable ?? '',
  });
  await ctx.publish({
    // A re-run reports what the step did in its first attempt.
    verdict: guards.restore ? 'rolled-back' : outcome.changed || outcome.repeated ? 'shifted' : 'unchanged',
    title: guards.failure ?? shiftTitle(inputs, outcome),
    environment: inputs.environment,
    model: { version: inputs.canaryVersion, baselineVersion: outcome.stable, sha256: inputs.modelSha256 },
    checks: guards.checks,
    notes: [
      ...splitNotes(outcome, ledger.description, ctx.read('ledger').trim()),
      ...(outcome.disagreement ? [outcome.disagreement] : []),
      ...outcome.warnings,
      ...pushed,
    ],
    details: {
      previousSplit: outcome.previous ?? null,
      split: outcome.split,
      changed: outcome.changed,
      repeated: outcome.repeated,
      stable: outcome.stable ?? null,
      router: router.description,
      ledger: ledger.description,
      journal: outcome.journal,
      // Only a step that put the previous version back has a restore, so plain shifts report as before.
      ...(guards.restore
        ? { restore: { split: guards.restore.split, journal: guards.restore.journal } }
        : {}),
    },
  });
  if (guards.failure) throw new UserFacingError(guards.failure);
}

function shiftRequest(ctx: ActionContext<'shift-traffic'>, inputs: ShiftInputs): ShiftRequest {
  const { environment, stableVersion, canaryVersion, canaryWeight, stickiness } = inputs;
  // Only a shadow adds its share to the key, so canary steps keep the keys earlier releases journaled.
  const shadow = inputs.mode === 'shadow' ? { shadowPercent: inputs.shadowPercent } : {};
  return {
    key: stepKey(ctx.run, 'shift-traffic', {
      environment,
      stable: stableVersion ?? 'live',
      canary: canaryVersion,
      weight: canaryWeight,
      stickiness,
      ...shadow,
    }),
    stable: stableVersion,
    canary: canaryVersion,
    weight: canaryWeight,
    stickiness,
    modelSha256: inputs.modelSha256,
    ...shadow,
  };
}

function shiftTitle(inputs: ShiftInputs, outcome: ShiftOutcome): string {
  const now = describeSplit(outcome.split);
  if (outcome.repeated) {
    return `This step already ran in this workflow run and put ${now} in force in ${inputs.environment}; nothing was done again.`;
  }
  if (!outcome.changed) return `${inputs.environment} already routes ${now}; nothing was changed.`;
  const mirror = outcome.split.mirror;
  if (mirror) {
    return `${inputs.environment} now shadows ${mirror.version}: ${mirror.percent} % of requests are copied to it, while every answer still comes from ${outcome.stable ?? 'the live version'}.`;
  }
  return `${inputs.environment} now routes ${now}${inputs.canaryWeight === 100 ? `: ${inputs.canaryVersion} is promoted` : ''}.`;
}

/** What the summary says beside the new split: the split it replaced, and where the step was journalled. */
function splitNotes(outcome: ShiftOutcome, ledger: string, ledgerInput: string): string[] {
  const before = outcome.previous ? describeSplit(outcome.previous) : 'nothing (no split was routed yet)';
  const chosen = ledgerInput === '' || ledgerInput === 'auto' ? ' (chosen by ledger: auto)' : '';
  const ended =
    outcome.previous?.mirror && !outcome.split.mirror ? [shadowEndedNote(outcome.previous.mirror)] : [];
  return [`Before this step: ${before}.`, ...ended, `Journal: ${ledger}${chosen}.`];
}

function shadowEndedNote(mirror: NonNullable<ShiftOutcome['split']['mirror']>): string {
  return `This step ended the shadow of ${mirror.version} (${mirror.percent} % of requests were copied to it).`;
}
