import { ConfigError, UserFacingError } from '@recsys-actions/core';
import { disagrees, type Ledger } from '@recsys-actions/ledger';
import {
  allTrafficTo,
  canarySplit,
  describeSplit,
  sameSplit,
  shadowSplit,
  type Router,
  type Split,
  type Stickiness,
} from '@recsys-actions/traffic';
import {
  alreadyTaken,
  journaledChange,
  openJournal,
  type JournalRecord,
  type PublishChange,
} from './journaled-step';
import { recordedBy, type RunProvenance } from './provenance';

export interface ShiftRequest {
  /** The step's journal key (see stepKey). */
  key: string;
  /** The version the canary is measured against; undefined means whatever is live now. */
  stable?: string;
  canary: string;
  /** 0–100; 100 promotes the canary. */
  weight: number;
  /**
   * Set for a shadow: the live version keeps all traffic and this share (1–100) of requests is copied to
   * `canary`, whose answers are dropped. `weight` is then 0.
   */
  shadowPercent?: number;
  stickiness: Stickiness;
  modelSha256?: string;
}

export interface ShiftOutcome {
  previous?: Split;
  split: Split;
  /** The stable version the split was built with; undefined when the canary takes all traffic. */
  stable?: string;
  changed: boolean;
  /** True when this step already took effect in an earlier attempt: nothing was done again. */
  repeated: boolean;
  /** Set when the journal's last split is not what the router serves; the step acted on what serves. */
  disagreement?: string;
  journal: JournalRecord;
  warnings: string[];
}

/**
 * Moves traffic to the requested split, journaled: what the router serves decides, the journal is completed
 * first, and a step whose key already took effect changes nothing. Run it under the step lock.
 */
export async function shiftTraffic(
  router: Router,
  ledger: Ledger,
  request: ShiftRequest,
  run: RunProvenance,
  publish?: PublishChange,
): Promise<ShiftOutcome> {
  if (request.shadowPercent !== undefined && !router.canMirror) {
    throw new ConfigError(
      'mode',
      `is 'shadow', but ${router.description} cannot mirror requests; use a router that can (nginx, istio) or a canary`,
      'canary',
    );
  }
  const observed = await router.observe();
  const opened = await openJournal(ledger, request.key, observed, run);
  const done = alreadyTaken(opened);
  if (done) {
    const { from, to, stable } = done.intent;
    const journal = { key: request.key, outcome: null, reconciled: opened.reconciled };
    return {
      previous: from ?? undefined,
      split: to,
      stable,
      changed: false,
      repeated: true,
      journal,
      warnings: [...opened.warnings, ...replacedSince(to, observed)],
    };
  }
  const stable = liveStable(request, observed);
  const split = requestedSplit(request, stable);
  const disagreement = disagrees(opened.journal.state, observed)
    ? journalDisagreement(opened.journal.state.split, observed)
    : undefined;
  const intent = {
    type: 'intent' as const,
    key: request.key,
    step: 'shift' as const,
    version: request.canary,
    from: observed ?? null,
    to: split,
    ...(stable === undefined ? {} : { stable }),
    ...(run.sha === undefined ? {} : { commitSha: run.sha }),
    ...(request.modelSha256 === undefined ? {} : { modelSha256: request.modelSha256 }),
    before: opened.journal.state,
    ...recordedBy(run),
  };
  const change = await journaledChange(router, ledger, intent, opened, run, publish);
  return {
    previous: observed,
    split,
    stable,
    changed: change.changed,
    repeated: false,
    disagreement,
    journal: change.record,
    warnings: change.warnings,
  };
}

/**
 * A re-run's word that the split its step put in force no longer serves: a later step (a rollback, say) replaced
 * it, and the re-run leaves that in place rather than routing back.
 */
function replacedSince(applied: Split, observed: Split | undefined): string[] {
  if (observed === undefined || sameSplit(observed, applied)) return [];
  return [
    `This step already ran in this workflow run and put ${describeSplit(applied)} in force, since replaced: the router now serves ${describeSplit(observed)}, and this re-run leaves that in place.`,
  ];
}

/**
 * The split a request asks for: at 100 the stable version is no longer named at all; a shadow keeps the stable
 * version alone in traffic. Any other split has no shadow, so a normal shift ends one.
 */
export function requestedSplit(request: ShiftRequest, stable: string | undefined): Split {
  if (request.weight === 100) return allTrafficTo(request.canary, request.stickiness);
  if (stable === undefined) throw new Error('a canary split needs a stable version (see liveStable)');
  if (request.shadowPercent !== undefined) {
    return shadowSplit(allTrafficTo(stable, request.stickiness), request.canary, request.shadowPercent);
  }
  return canarySplit(stable, request.canary, request.weight, request.stickiness);
}

/**
 * The version serving besides the canary (the one with the most traffic), which a named stable version must be.
 * A stable version that was superseded or rolled back would otherwise get the lion's share again.
 */
export function liveStable(request: ShiftRequest, observed: Split | undefined): string | undefined {
  if (observed === undefined) {
    if (request.stable === undefined && request.weight < 100) {
      throw new ConfigError(
        'stable',
        'is required while nothing is routed yet: name the version serving now',
        'v1.4.0',
      );
    }
    return request.stable;
  }
  const others = observed.targets
    .filter((target) => target.weight > 0 && target.version !== request.canary)
    .sort((a, b) => b.weight - a.weight);
  const live = others[0]?.version;
  if (request.stable !== undefined && request.stable !== live) {
    throw new ConfigError(
      'stable',
      `is '${request.stable}', but the router serves ${describeSplit(observed)}${live === undefined ? '' : `, so the live version is '${live}'`}; leave it empty to use whatever is live`,
      live ?? 'live',
    );
  }
  if (live === undefined && request.weight < 100) {
    throw new UserFacingError(
      `${request.canary} already takes all traffic (${describeSplit(observed)}), so there is no stable version to keep a ${100 - request.weight} % share. Nothing was changed.`,
    );
  }
  return live;
}

export function journalDisagreement(recorded: Split | undefined, observed: Split | undefined): string {
  const served = observed === undefined ? 'nothing' : describeSplit(observed);
  const journal = recorded === undefined ? 'nothing' : describeSplit(recorded);
  return `The journal's last step put ${journal} in force, but the router serves ${served} (changed by hand?); this step acted on what the router serves.`;
}
