import { UserFacingError } from '@recsys-actions/core';
import {
  recordAll,
  rollbackEvents,
  rollbackTarget,
  type Ledger,
  type LedgerEvent,
} from '@recsys-actions/ledger';
import { eventContext, type RunProvenance } from './provenance';
import { allTrafficTo, routedVersions, sameSplit, type Router, type Split } from '@recsys-actions/traffic';
import { checkHealthOnce, type HealthResult } from './health';

export interface RollbackRequest {
  environment: string;
  /** Explicit target; by default the ledger decides (see rollbackTarget). */
  toVersion?: string;
  reason: string;
  health?: { url: URL; timeoutMs: number };
}

export interface RollbackOutcome {
  previous: Split;
  split: Split;
  /** Versions that took traffic before and take none now. */
  from: string[];
  to: string;
  changed: boolean;
  healthBefore?: HealthResult;
  recorded: LedgerEvent[];
  warnings: string[];
}

/**
 * Sends all traffic to the rollback target and records `rolled-back` (with the reason) for the versions it
 * leaves. Read → apply → record must run under the step lock, so that a second rollback starts from the history
 * this one wrote and walks further back.
 */
export async function rollBack(
  router: Router,
  ledger: Ledger,
  request: RollbackRequest,
  run: RunProvenance,
): Promise<RollbackOutcome> {
  const previous = await router.observe();
  if (!previous) {
    throw new UserFacingError(
      `Nothing to roll back in ${request.environment}: ${router.description} holds no traffic split yet. Nothing was changed.`,
    );
  }
  const history = await ledger.history();
  const to = request.toVersion ?? rollbackTarget(history.events, previous);
  if (to === undefined) {
    throw new UserFacingError(
      `No known good version to roll back ${request.environment} to: the ledger (${ledger.description}) has no ` +
        `version promoted before the one now taking traffic (${routedVersions(previous).join(', ')}). ` +
        'Pass to-version to choose one. Nothing was changed.',
    );
  }
  const split = allTrafficTo(to, previous.stickiness);
  const from = routedVersions(previous).filter((version) => version !== to);
  if (sameSplit(previous, split)) {
    return { previous, split, from, to, changed: false, recorded: [], warnings: history.warnings };
  }

  const healthBefore =
    request.health && (await checkHealthOnce(request.health.url, request.health.timeoutMs));
  await router.apply(split, { expected: previous });
  await router.verify(split);
  const recorded = rollbackEvents(history.events, previous, to, request.reason, eventContext(run, split));
  const warnings = [...history.warnings, ...(await recordAll(ledger, recorded))];
  return { previous, split, from, to, changed: true, healthBefore, recorded, warnings };
}
