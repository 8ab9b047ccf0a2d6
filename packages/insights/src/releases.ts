import { soleVersion, tookEffect, type JournalStep, type StepIntent } from '@recsys-actions/ledger';
import { routedVersions } from '@recsys-actions/traffic/split';

/**
 * - `promoted`: took all traffic and was not rolled back since;
 * - `rolled-back`: a rollback took it out of traffic (during its canary or after its promotion);
 * - `withdrawn`: a later step stopped routing it before it was promoted, without a rollback;
 * - `in-progress`: still a canary when the window ends.
 */
export type ReleaseResult = 'promoted' | 'rolled-back' | 'withdrawn' | 'in-progress';

/** One release of a version in one environment: from the first step that routed it to its promotion or rollback. */
export interface Release {
  environment: string;
  version: string;
  /** When the first step routing the version began. */
  startedAt: number;
  /** When its promotion to all traffic finished; undefined while it has not been promoted. */
  promotedAt?: number;
  /** When the rollback taking it out of traffic finished. */
  rolledBackAt?: number;
  /** When a later step stopped routing it without promotion or rollback. */
  withdrawnAt?: number;
  /** The commit the promotion (else the first step) names. */
  commitSha?: string;
  /** Who started it and the run that did. */
  actor: string;
  runUrl?: string;
}

export function releaseResult(release: Release): ReleaseResult {
  if (release.rolledBackAt !== undefined) return 'rolled-back';
  if (release.promotedAt !== undefined) return 'promoted';
  return release.withdrawnAt === undefined ? 'in-progress' : 'withdrawn';
}

/** When the release's fate was settled; undefined while it is in progress. */
export function decidedAt(release: Release): number | undefined {
  return release.rolledBackAt ?? release.promotedAt ?? release.withdrawnAt;
}

/** What the releases of one environment add up to, besides the releases themselves. */
export interface EnvironmentReleases {
  releases: Release[];
  /** When rollbacks finished that took out a version a previous rollback had brought back (a rollback of a rollback). */
  revertedRollbacks: number[];
}

/**
 * Folds an environment's journal steps (oldest first) into releases. Only steps that took effect count, with
 * their outcome's time as the time they finished. A shift opens a release for a version it routes that none is
 * open for; a promotion (the version alone in `to`, applied) settles it; a rollback settles every release it
 * takes out of traffic. A rollback brings its target back without opening a release, so a later rollback
 * leaving that version is a reverted rollback, not a failed release.
 */
export function foldReleases(environment: string, steps: readonly JournalStep[]): EnvironmentReleases {
  const open = new Map<string, Release>();
  const broughtBackByRollback = new Set<string>();
  const releases: Release[] = [];
  const revertedRollbacks: number[] = [];
  for (const step of steps) {
    if (!tookEffect(step) || step.outcome === undefined) continue;
    const { intent } = step;
    const finishedAt = Date.parse(step.outcome.timestamp);
    if (intent.step === 'rollback') {
      for (const version of leavingOf(intent)) {
        const release = open.get(version);
        if (release) {
          release.rolledBackAt = finishedAt;
          open.delete(version);
        } else if (broughtBackByRollback.delete(version)) revertedRollbacks.push(finishedAt);
      }
      bringBack(open, broughtBackByRollback, intent.version, finishedAt);
    } else {
      let release = open.get(intent.version);
      if (release === undefined && !broughtBackByRollback.has(intent.version)) {
        release = startRelease(environment, step);
        open.set(intent.version, release);
        releases.push(release);
      }
      const promoted = soleVersion(intent.to) === intent.version && step.outcome.result === 'applied';
      if (release && promoted && release.promotedAt === undefined) {
        release.promotedAt = finishedAt;
        if (intent.commitSha) release.commitSha = intent.commitSha;
      }
    }
    settleUnrouted(open, broughtBackByRollback, routedVersions(intent.to), finishedAt);
  }
  return { releases, revertedRollbacks };
}

/**
 * A rollback's target serves because of the rollback, not of a release: its release (if one is open) stops being
 * the one a later rollback would fail, so taking the target out again counts as a reverted rollback.
 */
function bringBack(open: Map<string, Release>, broughtBack: Set<string>, version: string, at: number): void {
  const release = open.get(version);
  if (release && release.promotedAt === undefined) release.withdrawnAt = at;
  open.delete(version);
  broughtBack.add(version);
}

/** The versions a rollback takes out of traffic; older intents without `leaving` tell them by their splits. */
function leavingOf(intent: StepIntent): string[] {
  if (intent.leaving) return intent.leaving;
  const after = routedVersions(intent.to);
  return (intent.from ? routedVersions(intent.from) : []).filter((version) => !after.includes(version));
}

function startRelease(environment: string, step: JournalStep): Release {
  const { intent } = step;
  return {
    environment,
    version: intent.version,
    startedAt: Date.parse(intent.timestamp),
    ...(intent.commitSha ? { commitSha: intent.commitSha } : {}),
    actor: intent.actor,
    ...(intent.runUrl ? { runUrl: intent.runUrl } : {}),
  };
}

/**
 * Versions no longer routed leave the open releases: a promoted one was superseded (it stays promoted), an
 * unpromoted one was withdrawn. Neither is a failure: only a rollback says a release was bad.
 */
function settleUnrouted(
  open: Map<string, Release>,
  broughtBack: Set<string>,
  routed: readonly string[],
  at: number,
): void {
  for (const [version, release] of open) {
    if (routed.includes(version)) continue;
    if (release.promotedAt === undefined) release.withdrawnAt = at;
    open.delete(version);
  }
  for (const version of broughtBack) if (!routed.includes(version)) broughtBack.delete(version);
}
