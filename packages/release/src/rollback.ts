import { ConfigError, UserFacingError } from '@recsys-actions/core';
import { disagrees, type Ledger, type ReleaseState } from '@recsys-actions/ledger';
import {
  allTrafficTo,
  describeSplit,
  routedVersions,
  sameSplit,
  SplitConflictError,
  type Router,
  type Split,
} from '@recsys-actions/traffic';
import { checkHealthOnce, type HealthResult } from './health';
import {
  alreadyTaken,
  journaledChange,
  openJournal,
  type JournalRecord,
  type OpenedJournal,
  type PublishChange,
} from './journaled-step';
import { recordedBy, type RunProvenance } from './provenance';
import { byWeight, defaultLeaving, rollbackTarget } from './rollback-target';
import { journalDisagreement } from './shift';

export interface RollbackRequest {
  /** The step's journal key (see stepKey). */
  key: string;
  environment: string;
  /** The version this rollback takes out of traffic; once it takes none, the rollback is done. */
  fromVersion?: string;
  /**
   * A from-version the journal never saw and that takes no traffic is done too, instead of refused as a typo:
   * for workflows that pass their own canary, which may have failed before it took any traffic.
   */
  allowUnseen?: boolean;
  /** Explicit target; by default the journal decides (see rollbackTarget). */
  toVersion?: string;
  reason: string;
  health?: { url: URL; timeoutMs: number };
}

export interface RollbackOutcome {
  previous: Split;
  split: Split;
  /** Versions that took traffic before and take none now. */
  from: string[];
  /** The version that only received mirrored requests until this rollback ended its shadow. */
  endedShadow?: string;
  to: string;
  changed: boolean;
  /** True when nothing was left to do: this step took effect in an earlier attempt, or from-version takes no traffic. */
  already: 'this-step' | 'rolled-back' | undefined;
  disagreement?: string;
  healthBefore?: HealthResult;
  journal: JournalRecord;
  warnings: string[];
}

/** Duplicates racing with the same from-version: each conflict means another one moved traffic; look again. */
const CONFLICT_ATTEMPTS = 3;

/**
 * Sends all traffic to the rollback target, journaled (see shiftTraffic). With from-version, a rollback that
 * loses a race to a duplicate looks again and finds its work done. Run it under the step lock.
 */
export async function rollBack(
  router: Router,
  ledger: Ledger,
  request: RollbackRequest,
  run: RunProvenance,
  publish?: PublishChange,
): Promise<RollbackOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rollBackOnce(router, ledger, request, run, publish);
    } catch (error) {
      if (
        !(error instanceof SplitConflictError) ||
        request.fromVersion === undefined ||
        attempt >= CONFLICT_ATTEMPTS
      )
        throw error;
    }
  }
}

async function rollBackOnce(
  router: Router,
  ledger: Ledger,
  request: RollbackRequest,
  run: RunProvenance,
  publish?: PublishChange,
): Promise<RollbackOutcome> {
  const observed = await router.observe();
  if (!observed) {
    throw new UserFacingError(
      `Nothing to roll back in ${request.environment}: ${router.description} holds no traffic split yet. Nothing was changed.`,
    );
  }
  const opened = await openJournal(ledger, request.key, observed, run);
  const finished = alreadyDone(request, observed, opened, ledger);
  if (finished) return finished;

  const { state } = opened.journal;
  const leaving = request.fromVersion === undefined ? defaultLeaving(observed, state) : [request.fromVersion];
  const to = checkTarget(
    request,
    request.toVersion ?? rollbackTarget(state, observed, leaving),
    leaving,
    observed,
    state,
    ledger,
  );
  const split = allTrafficTo(to, observed.stickiness);
  const from = routedVersions(observed).filter((version) => version !== to);
  const healthBefore =
    request.health && (await checkHealthOnce(request.health.url, request.health.timeoutMs));
  const intent = {
    type: 'intent' as const,
    key: request.key,
    step: 'rollback' as const,
    version: to,
    from: observed,
    to: split,
    leaving: from,
    reason: request.reason,
    ...(run.sha === undefined ? {} : { commitSha: run.sha }),
    before: state,
    ...recordedBy(run),
  };
  const change = await journaledChange(router, ledger, intent, opened, run, publish);
  return {
    previous: observed,
    split,
    from,
    to,
    changed: change.changed,
    ...(observed.mirror ? { endedShadow: observed.mirror.version } : {}),
    already: undefined,
    disagreement: disagrees(state, observed) ? journalDisagreement(state.split, observed) : undefined,
    healthBefore,
    journal: change.record,
    warnings: change.warnings,
  };
}

/** The outcome when there is nothing left to do; undefined when the rollback still has to happen. */
function alreadyDone(
  request: RollbackRequest,
  observed: Split,
  opened: OpenedJournal,
  ledger: Ledger,
): RollbackOutcome | undefined {
  const journal = { key: request.key, outcome: null, reconciled: opened.reconciled };
  const done = alreadyTaken(opened);
  const common = { previous: observed, split: observed, changed: false, journal, warnings: opened.warnings };
  if (done) {
    const { from, to, leaving, version } = done.intent;
    return {
      ...common,
      previous: from ?? observed,
      split: to,
      from: leaving ?? [],
      ...(from?.mirror && !to.mirror ? { endedShadow: from.mirror.version } : {}),
      to: version,
      already: 'this-step',
    };
  }
  if (
    request.toVersion !== undefined &&
    sameSplit(observed, allTrafficTo(request.toVersion, observed.stickiness))
  ) {
    return { ...common, from: [], to: request.toVersion, already: 'rolled-back' };
  }
  const fromVersion = request.fromVersion;
  // A shadow takes no traffic, yet a rollback naming it still has to end the mirroring.
  if (fromVersion === undefined || takesRequests(observed, fromVersion)) return undefined;
  if (ledger.keepsJournal && !request.allowUnseen && !opened.journal.state.seen.includes(fromVersion)) {
    throw new ConfigError(
      'fromVersion',
      `is '${fromVersion}', which neither takes traffic (${describeSplit(observed)}) nor appears in the journal (${ledger.description}); name the version to take out of traffic`,
      routedVersions(observed).at(-1),
    );
  }
  return { ...common, from: [], to: byWeight(observed)[0] ?? fromVersion, already: 'rolled-back' };
}

function checkTarget(
  request: RollbackRequest,
  to: string | undefined,
  leaving: readonly string[],
  observed: Split,
  state: ReleaseState,
  ledger: Ledger,
): string {
  if (to === undefined) {
    throw new UserFacingError(
      `No known good version to roll back ${request.environment} to: the journal (${ledger.description}) has no ` +
        `version that was fully live before ${leaving.join(', ')} and was not rolled back since. ` +
        'Pass to-version to choose one. Nothing was changed.',
    );
  }
  if (leaving.includes(to)) {
    throw new ConfigError(
      'toVersion',
      `is '${to}', the version this rollback takes out of traffic; name a good version`,
      state.fullyLive.findLast((version) => !leaving.includes(version)) ?? 'v1.4.0',
    );
  }
  const known = state.seen.includes(to) || routedVersions(observed).includes(to);
  if (request.toVersion !== undefined && ledger.keepsJournal && !known) {
    throw new ConfigError(
      'toVersion',
      `is '${to}', which the journal (${ledger.description}) has never seen; a rollback goes back to a version that served before`,
      state.fullyLive.at(-1) ?? 'v1.4.0',
    );
  }
  return to;
}

/** Whether `version` is sent requests at all: routed, or mirrored to as a shadow. */
function takesRequests(split: Split, version: string): boolean {
  return routedVersions(split).includes(version) || split.mirror?.version === version;
}
