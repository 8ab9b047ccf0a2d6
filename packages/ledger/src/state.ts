import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import {
  routedVersions,
  sameSplit,
  splitSchema,
  versionSchema,
  type Split,
} from '@recsys-actions/traffic/split';
import type { LedgerEvent } from './events';
import type { StepIntent } from './journal';

/** Long histories keep only their newest versions: a rollback never walks back further than this. */
export const KEPT_VERSIONS = 50;

export const releaseStateSchema = lazily(() =>
  z
    .object({
      /** The version that last took all traffic, unless it was rolled back since. */
      live: versionSchema().optional(),
      /** The split the last step that took effect put in force. */
      split: splitSchema().optional(),
      /** Versions that have taken all traffic, oldest first, each at the last time it did. */
      fullyLive: z.array(versionSchema()).max(KEPT_VERSIONS),
      /** Versions a rollback took out of traffic and no later shift named again. */
      rolledBack: z.array(versionSchema()).max(KEPT_VERSIONS),
      /** The canary in progress and the version it is measured against. */
      canary: z.object({ version: versionSchema(), stable: versionSchema().optional() }).strict().optional(),
      /** Every version the journal has seen, oldest first. */
      seen: z.array(versionSchema()).max(2 * KEPT_VERSIONS),
    })
    .strict(),
);

/**
 * What the journal knows about an environment's releases: enough to choose a rollback target and to check a
 * version a person names. Each intent carries the state before it, so a reader of the newest steps needs no
 * older history.
 */
export type ReleaseState = z.infer<ReturnType<typeof releaseStateSchema>>;

export const EMPTY_RELEASE_STATE: ReleaseState = { fullyLive: [], rolledBack: [], seen: [] };

/** The state after `intent` took effect, starting from `before`. */
export function advance(before: ReleaseState, intent: StepIntent): ReleaseState {
  const seen = remember(
    before.seen,
    [
      ...(intent.from ? routedVersions(intent.from) : []),
      ...routedVersions(intent.to),
      // A shadow takes no traffic, but a rollback may name it to end the shadow.
      ...(intent.to.mirror ? [intent.to.mirror.version] : []),
      ...(intent.leaving ?? []),
    ],
    2 * KEPT_VERSIONS,
  );
  // A version alone in the split the step started from was fully live until now.
  const wasAlone = soleVersion(intent.from ?? undefined);
  const fullyLive = wasAlone === undefined ? before.fullyLive : lastTime(before.fullyLive, wasAlone);
  const base = { ...before, fullyLive, seen, split: intent.to };
  const sole = soleVersion(intent.to);
  if (intent.step === 'rollback') {
    const rolledBack = without(
      remember(before.rolledBack, intent.leaving ?? [], KEPT_VERSIONS),
      intent.version,
    );
    return fullyLiveNow({ ...base, rolledBack }, intent.version);
  }
  if (sole !== undefined)
    return fullyLiveNow({ ...base, rolledBack: without(before.rolledBack, sole) }, sole);
  return {
    ...base,
    live: intent.stable ?? before.live,
    rolledBack: without(before.rolledBack, intent.version),
    canary: { version: intent.version, ...(intent.stable === undefined ? {} : { stable: intent.stable }) },
  };
}

function fullyLiveNow(state: ReleaseState, version: string): ReleaseState {
  const { canary: _ended, ...rest } = state;
  return { ...rest, live: version, fullyLive: lastTime(state.fullyLive, version) };
}

/**
 * Plain history written before the journal existed, read as a state: promotions make a version fully live,
 * canaries start, rollbacks mark versions as rolled back (the old rollback then promoted its target).
 */
export function stateFromEvents(events: readonly LedgerEvent[]): ReleaseState {
  let state = EMPTY_RELEASE_STATE;
  for (const event of events) {
    state = { ...state, seen: remember(state.seen, [event.version], 2 * KEPT_VERSIONS) };
    if (event.type === 'promoted') {
      state = fullyLiveNow({ ...state, rolledBack: without(state.rolledBack, event.version) }, event.version);
      if (event.split) state.split = event.split;
    } else if (event.type === 'canary') {
      const stable = state.live === undefined ? {} : { stable: state.live };
      state = {
        ...state,
        rolledBack: without(state.rolledBack, event.version),
        canary: { version: event.version, ...stable },
      };
      if (event.split) state.split = event.split;
    } else if (event.type === 'rolled-back') {
      const { canary, live, ...rest } = state;
      state = {
        ...rest,
        rolledBack: remember(state.rolledBack, [event.version], KEPT_VERSIONS),
        ...(live === event.version || live === undefined ? {} : { live }),
        ...(canary === undefined || canary.version === event.version ? {} : { canary }),
      };
    }
  }
  return state;
}

/** `state` with `versions` marked rolled back too (each at most once, the oldest dropped beyond the bound). */
export function withRolledBack(state: ReleaseState, versions: readonly string[]): ReleaseState {
  return { ...state, rolledBack: remember(state.rolledBack, versions, KEPT_VERSIONS) };
}

/** True when the journal's last split is known and differs from what the router serves. */
export function disagrees(state: ReleaseState, observed: Split | undefined): boolean {
  return state.split !== undefined && !sameSplit(state.split, observed);
}

export function soleVersion(split: Split | undefined): string | undefined {
  const routed = split === undefined ? [] : routedVersions(split);
  return routed.length === 1 ? routed[0] : undefined;
}

/** `versions` with `version` moved to the end (its latest time), oldest dropped beyond the bound. */
function lastTime(versions: readonly string[], version: string): string[] {
  return [...without(versions, version), version].slice(-KEPT_VERSIONS);
}

/** `versions` with the new ones of `more` added at the end, oldest dropped beyond `bound`. */
function remember(versions: readonly string[], more: readonly string[], bound: number): string[] {
  const kept = [...versions];
  for (const version of more) if (!kept.includes(version)) kept.push(version);
  return kept.slice(-bound);
}

function without(versions: readonly string[], version: string): string[] {
  return versions.filter((candidate) => candidate !== version);
}
