import type { ReleaseState } from '@recsys-actions/ledger';
import { routedVersions, type Split } from '@recsys-actions/traffic';

/** The routed versions, the one with the most traffic first (split order breaks ties: stable first). */
export function byWeight(split: Split): string[] {
  return split.targets
    .filter((target) => target.weight > 0)
    .map((target, index) => ({ ...target, index }))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((target) => target.version);
}

/**
 * What a rollback without from-version takes out of traffic: the only version routed, or, while several are,
 * all but the one the others are measured against (the journal's stable version when it is routed, else the
 * one with the most traffic). While one version serves beside a shadow, it is the shadow: like a canary, it is
 * what is on trial, and ending it changes no answer users get.
 */
export function defaultLeaving(observed: Split, state: ReleaseState): string[] {
  const routed = routedVersions(observed);
  if (routed.length === 1) return observed.mirror ? [observed.mirror.version] : routed;
  const named = [state.canary?.stable, state.live].find(
    (version) => version !== undefined && routed.includes(version),
  );
  const stable = named ?? byWeight(observed)[0];
  return routed.filter((version) => version !== stable);
}

/**
 * Where a rollback sends all traffic when no to-version is given:
 * 1. a version that keeps taking traffic after `leaving` is taken out (the stable side of a canary), the one
 *    with the most traffic;
 * 2. while a canary runs, the stable version its intent recorded (a first canary has nothing else);
 * 3. the last version that was fully live before the earliest of `leaving` to have been so.
 * Never a version in `leaving`, never one marked rolled back. Undefined when no such version is known.
 */
export function rollbackTarget(
  state: ReleaseState,
  observed: Split,
  leaving: readonly string[],
): string | undefined {
  const usable = (version: string | undefined): version is string =>
    version !== undefined && !leaving.includes(version) && !state.rolledBack.includes(version);
  const staying = byWeight(observed).find(usable);
  if (staying !== undefined) return staying;
  if (state.canary && leaving.includes(state.canary.version) && usable(state.canary.stable)) {
    return state.canary.stable;
  }
  const positions = leaving.map((version) => state.fullyLive.indexOf(version)).filter((index) => index >= 0);
  const before = positions.length === 0 ? state.fullyLive.length : Math.min(...positions);
  return state.fullyLive.slice(0, before).findLast(usable);
}
