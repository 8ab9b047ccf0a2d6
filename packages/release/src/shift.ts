import {
  liveVersion,
  promotionEvents,
  recordAll,
  type EventContext,
  type Ledger,
  type LedgerEvent,
} from '@recsys-actions/ledger';
import { eventContext, type RunProvenance } from './provenance';
import {
  allTrafficTo,
  canarySplit,
  routedVersions,
  type Router,
  type Split,
  type Stickiness,
} from '@recsys-actions/traffic';

export interface ShiftRequest {
  stable: string;
  canary: string;
  /** 0–100; 100 promotes the canary. */
  weight: number;
  stickiness: Stickiness;
  modelSha256?: string;
}

export interface ShiftOutcome {
  previous?: Split;
  split: Split;
  changed: boolean;
  /** The ledger events this step recorded, in order. */
  recorded: LedgerEvent[];
  warnings: string[];
}

/** The split a request asks for: at 100 the stable version is no longer named at all. */
export function requestedSplit(request: ShiftRequest): Split {
  return request.weight === 100
    ? allTrafficTo(request.canary, request.stickiness)
    : canarySplit(request.stable, request.canary, request.weight, request.stickiness);
}

/**
 * Applies the requested split, verifies that it serves and records what changed. The history is read first,
 * so a damaged ledger stops the step before traffic moves; an unchanged split records nothing. Run it under the
 * step lock: the split observed there is what apply expects, so a change made by anyone else is refused.
 */
export async function shiftTraffic(
  router: Router,
  ledger: Ledger,
  request: ShiftRequest,
  run: RunProvenance,
): Promise<ShiftOutcome> {
  const split = requestedSplit(request);
  const history = await ledger.history();
  const { previous, changed } = await router.apply(split, { expected: await router.observe() });
  if (!changed) return { previous, split, changed, recorded: [], warnings: history.warnings };
  await router.verify(split);

  const context = eventContext(run, split);
  const recorded = shiftEvents(history.events, previous, request, context);
  const warnings = [...history.warnings, ...(await recordAll(ledger, recorded))];
  return { previous, split, changed, recorded, warnings };
}

function shiftEvents(
  history: LedgerEvent[],
  previous: Split | undefined,
  request: ShiftRequest,
  context: EventContext,
): LedgerEvent[] {
  const baseline = baselineEvents(history, previous, request.stable, context);
  const known = [...history, ...baseline];
  const sha = request.modelSha256 === undefined ? {} : { modelSha256: request.modelSha256 };
  if (request.weight < 100) {
    return [
      ...baseline,
      { type: 'canary', version: request.canary, weight: request.weight, ...context, ...sha },
    ];
  }
  // The model's SHA-256 belongs to the canary's event only, not to the version it supersedes.
  const promotion = promotionEvents(known, request.canary, context).map((event) =>
    event.version === request.canary ? { ...event, ...sha } : event,
  );
  return [...baseline, ...promotion];
}

/**
 * A ledger that has never seen a promotion (the first release after adopting it) would leave a rollback with no
 * known good version although the stable version serves traffic right now; recording it as promoted, with the
 * split that was in force, makes the history match what is running.
 */
function baselineEvents(
  history: LedgerEvent[],
  previous: Split | undefined,
  stable: string,
  context: EventContext,
): LedgerEvent[] {
  if (liveVersion(history) !== undefined || !previous || !routedVersions(previous).includes(stable))
    return [];
  return [{ type: 'promoted', version: stable, ...context, split: previous }];
}
