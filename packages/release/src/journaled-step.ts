import {
  stateAfter,
  tookEffect,
  withRolledBack,
  type Journal,
  type JournalStep,
  type Ledger,
  type StepIntent,
  type StepResult,
} from '@recsys-actions/ledger';
import { sameSplit, SplitConflictError, type Router, type Split } from '@recsys-actions/traffic';
import { recordedBy, type RunProvenance } from './provenance';

/** An intent older than this, with no outcome, belongs to a run that died: nothing takes that long. */
export const ABANDONED_AFTER_MS = 10 * 60_000;

/** What a step did to the journal, for its report. */
export interface JournalRecord {
  key: string;
  /** The outcome this step recorded (or would have: see `unrecorded`); null when it recorded none. */
  outcome: StepResult | null;
  /** Unfinished steps this step found and completed from what the router serves, before acting. */
  reconciled: { key: string; result: StepResult }[];
  /** Why the outcome could not be recorded; the next step's reconciliation records it. */
  unrecorded?: string;
}

/** The journal as a step acts on it: unfinished steps completed, and what that took. */
export interface OpenedJournal {
  journal: Journal;
  reconciled: JournalRecord['reconciled'];
  warnings: string[];
}

/**
 * Reads the journal and completes unfinished steps first: this very step's earlier attempt, any step whose
 * intended split is what serves (it took effect), and any step so old its run must be dead (it never moved
 * traffic). A fresh intent of another run whose split does not serve is left to it (it may still be running), but
 * the versions it takes out of traffic count as rolled back from here on: when this step picks a target, and in
 * the `before` state it records. That run may have moved traffic and died before its outcome; were its versions
 * only avoided by this step, the step after it would read a state that never heard of that rollback, and could
 * route back to them. A step's target is never re-decided from a state it left.
 */
export async function openJournal(
  ledger: Ledger,
  key: string,
  observed: Split | undefined,
  run: RunProvenance,
  now: Date = new Date(),
): Promise<OpenedJournal> {
  const journal = await ledger.read(key);
  const opened: OpenedJournal = {
    journal,
    reconciled: [],
    warnings: [...journal.warnings],
  };
  const unfinished = [journal.newest, journal.own].filter(
    (step, index, all): step is JournalStep =>
      step !== undefined && step.outcome === undefined && all.indexOf(step) === index,
  );
  const pendingLeaving: string[] = [];
  for (const step of unfinished) {
    const age = now.getTime() - Date.parse(step.intent.timestamp);
    // A step whose split serves took effect, whether its run lives or died: recorded now, its effect is in the
    // state every later step starts from. (If its run lives, its own outcome comes second and is dropped.)
    const serving = sameSplit(step.intent.to, observed);
    if (step.intent.key !== key && age <= ABANDONED_AFTER_MS && !serving) {
      pendingLeaving.push(...(step.intent.leaving ?? []));
      opened.warnings.push(
        `Step ${step.intent.key} (${step.intent.actor}, ${step.intent.timestamp}) has not recorded an outcome yet; it may still be running, so it was left alone.`,
      );
      continue;
    }
    await reconcile(ledger, opened, step, observed, recordedBy(run, now));
  }
  journal.state = withRolledBack(journal.state, pendingLeaving);
  return opened;
}

async function reconcile(
  ledger: Ledger,
  opened: OpenedJournal,
  step: JournalStep,
  observed: Split | undefined,
  by: ReturnType<typeof recordedBy>,
): Promise<void> {
  const result: StepResult = sameSplit(step.intent.to, observed) ? 'applied' : 'abandoned';
  const note =
    result === 'applied'
      ? 'completed by a later step: the router serves its split'
      : 'completed by a later step: traffic never reached its split';
  const outcome = { type: 'outcome' as const, key: step.intent.key, result, note, ...by };
  opened.warnings.push(...(await finishOrWarn(ledger, step, outcome)));
  opened.reconciled.push({ key: step.intent.key, result });
  const finished = { ...step, outcome };
  const { journal } = opened;
  if (step === journal.newest) {
    journal.newest = finished;
    if (result === 'applied') journal.state = stateAfter(finished);
  }
  if (step === journal.own) journal.own = finished;
}

/** The step of this key that already took effect in an earlier attempt, if any. */
export function alreadyTaken(opened: OpenedJournal): JournalStep | undefined {
  const own = opened.journal.own;
  return own !== undefined && tookEffect(own) ? own : undefined;
}

/**
 * Makes a verified change live where the router alone does not: the file router's traffic file only takes effect
 * once pushed (GitOps). It runs before the outcome is recorded, so a push that fails leaves no `applied` behind.
 */
export type PublishChange = (intent: StepIntent) => Promise<unknown>;

export interface ChangeResult {
  changed: boolean;
  record: JournalRecord;
  warnings: string[];
}

/**
 * Records the intent, moves traffic from `intent.from` to `intent.to`, verifies it and records the outcome.
 * Nothing moves when the intent cannot be recorded. When the router fails, the outcome is recorded only where it
 * is certain (a conflict changed nothing); otherwise the step stays unfinished for the next one to reconcile from
 * what serves. An outcome that cannot be recorded is a warning, not a failure: traffic did move.
 */
export async function journaledChange(
  router: Router,
  ledger: Ledger,
  intent: StepIntent,
  opened: OpenedJournal,
  run: RunProvenance,
  publish?: PublishChange,
): Promise<ChangeResult> {
  await router.check(intent.to);
  const step = await ledger.begin(intent);
  const outcomeOf = (result: StepResult, note?: string) => ({
    type: 'outcome' as const,
    key: intent.key,
    result,
    ...(note === undefined ? {} : { note }),
    ...recordedBy(run),
  });
  let changed: boolean;
  try {
    changed = await applyOrFindInForce(router, intent);
    await router.verify(intent.to);
    await publish?.(intent);
  } catch (error) {
    const settled = await settledResult(router, intent, error);
    if (settled) await finishOrWarn(ledger, step, outcomeOf(...settled));
    throw error;
  }
  const result = changed ? 'applied' : 'unchanged';
  const record: JournalRecord = { key: intent.key, outcome: result, reconciled: opened.reconciled };
  const warnings = [...opened.warnings];
  try {
    warnings.push(...(await ledger.finish(step, outcomeOf(result))));
  } catch (error) {
    record.unrecorded = `${ledger.description}: ${(error as Error).message}`;
    warnings.push(
      `Traffic moved, but its outcome could not be recorded (${record.unrecorded}). The next shift-traffic or rollback on this environment records it.`,
    );
  }
  return { changed, record, warnings };
}

/**
 * Applies the step's split and says whether it changed anything. A conflict (traffic no longer serves the split
 * the step started from) is no change when what serves is the step's own split: an earlier attempt of this very
 * step put it there and was killed before its outcome, while nginx was still reloading, so the attempt was then
 * judged never to have taken effect; or a duplicate got there first. It is in force, so it is recorded as in
 * force, with the versions it took out. Recorded as a conflict instead, such a rollback left its versions
 * unmarked, and a later rollback could route back to them.
 */
async function applyOrFindInForce(router: Router, intent: StepIntent): Promise<boolean> {
  try {
    return (await router.apply(intent.to, { expected: intent.from ?? undefined })).changed;
  } catch (error) {
    const serving =
      error instanceof SplitConflictError ? await router.observe().catch(() => undefined) : undefined;
    if (serving !== undefined && sameSplit(serving, intent.to)) return false;
    throw error;
  }
}

/**
 * The outcome of a step whose router failed, when it is certain: a conflict changed nothing, and a router that
 * still serves the split the step started from never moved. Anything else stays unfinished, for the next step to
 * reconcile from what serves then.
 */
async function settledResult(
  router: Router,
  intent: StepIntent,
  error: unknown,
): Promise<[StepResult, string] | undefined> {
  if (error instanceof SplitConflictError) return ['abandoned', 'another step moved traffic first'];
  const serving = await router.observe().catch(() => 'unknown' as const);
  if (serving !== 'unknown' && sameSplit(serving, intent.from ?? undefined)) {
    return ['failed', `the router refused the split: ${(error as Error).message}`.slice(0, 300)];
  }
  return undefined;
}

async function finishOrWarn(
  ledger: Ledger,
  step: JournalStep,
  outcome: Parameters<Ledger['finish']>[1],
): Promise<string[]> {
  try {
    return await ledger.finish(step, outcome);
  } catch (error) {
    return [
      `Could not record that step ${step.intent.key} was ${outcome.result} (${(error as Error).message}); a later step will.`,
    ];
  }
}
