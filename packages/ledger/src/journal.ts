import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import { splitSchema, versionSchema } from '@recsys-actions/traffic/split';
import { commitShaSchema, modelSha256Schema, timestampSchema } from './events';
import { advance, releaseStateSchema, type ReleaseState } from './state';

const who = lazily(() => ({
  /** The GitHub login (or bot) that triggered the run. */
  actor: z.string().min(1),
  runUrl: z.url().optional(),
  timestamp: timestampSchema(),
}));

/**
 * What a step is about to do, recorded before it touches traffic. `key` names the step (run, job, action and
 * inputs), so a re-run of the same step finds it.
 */
export const stepIntentSchema = lazily(() =>
  z
    .object({
      type: z.literal('intent'),
      key: z.string().min(1).max(200),
      step: z.enum(['shift', 'rollback']),
      /** The version the step sends traffic to: the canary of a shift, the target of a rollback. */
      version: versionSchema(),
      /** The split observed before the step; null when nothing was routed yet. */
      from: splitSchema().nullable(),
      to: splitSchema(),
      /** shift: the version the canary is measured against. */
      stable: versionSchema().optional(),
      /** rollback: the versions it takes out of traffic. */
      leaving: z.array(versionSchema()).optional(),
      reason: z.string().min(1).max(500).optional(),
      commitSha: commitShaSchema().optional(),
      modelSha256: modelSha256Schema.optional(),
      /** The release state before the step: the journal's history, carried forward. */
      before: releaseStateSchema(),
      ...who(),
    })
    .strict(),
);
export type StepIntent = z.infer<ReturnType<typeof stepIntentSchema>>;

export const STEP_RESULTS = ['applied', 'unchanged', 'abandoned', 'failed'] as const;
/**
 * - `applied`: traffic reached the intended split;
 * - `unchanged`: it was already there;
 * - `abandoned`: the step stopped before traffic moved (found later by a reconciling step), or someone else moved
 *   traffic first;
 * - `failed`: the router refused or could not verify the split.
 */
export type StepResult = (typeof STEP_RESULTS)[number];

export const stepOutcomeSchema = lazily(() =>
  z
    .object({
      type: z.literal('outcome'),
      key: z.string().min(1).max(200),
      result: z.enum(STEP_RESULTS),
      /** Why, in a few words, e.g. `reconciled by a later step: the router serves the intended split`. */
      note: z.string().max(300).optional(),
      ...who(),
    })
    .strict(),
);
export type StepOutcome = z.infer<ReturnType<typeof stepOutcomeSchema>>;

/** One step read back from a ledger. `ref` is the backend's handle on it (a line number, a deployment id). */
export interface JournalStep {
  readonly ref: string;
  readonly intent: StepIntent;
  readonly outcome?: StepOutcome;
}

/** What a step reads before it acts. */
export interface Journal {
  /** The release state after the last step that took effect (a legacy history folded in). */
  state: ReleaseState;
  /** The newest step recorded, finished or not. */
  newest?: JournalStep;
  /** The newest step recorded under the key asked for. */
  own?: JournalStep;
  /** For the caller to show (e.g. as `::warning::`); ledgers never print. */
  warnings: string[];
}

export function tookEffect(step: JournalStep): boolean {
  return step.outcome?.result === 'applied' || step.outcome?.result === 'unchanged';
}

/** The state after the step, if it took effect, from the state the step itself recorded. */
export function stateAfter(step: JournalStep): ReleaseState {
  return tookEffect(step) ? advance(step.intent.before, step.intent) : step.intent.before;
}

/**
 * A journal from steps oldest first: the state comes from the newest step that took effect (its own snapshot of
 * what came before), else from `legacy`, the state of history written before the journal.
 */
export function journalOf(
  steps: readonly JournalStep[],
  key: string,
  legacy: ReleaseState,
  warnings: string[],
): Journal {
  const lastEffective = steps.findLast(tookEffect);
  return {
    state: lastEffective === undefined ? legacy : stateAfter(lastEffective),
    newest: steps.at(-1),
    own: steps.findLast((step) => step.intent.key === key),
    warnings,
  };
}
