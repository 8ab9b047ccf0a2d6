import { canarySplit } from '@recsys-actions/traffic';
import type { Split } from '@recsys-actions/traffic';
import {
  EMPTY_RELEASE_STATE,
  type Ledger,
  type ReleaseState,
  type StepIntent,
  type StepOutcome,
  type StepResult,
} from '../src/index';

let clock = Date.parse('2026-03-01T09:00:00Z');

/** Who recorded an entry, each entry a minute after the previous one. */
export function recordedBy(actor = 'alice'): Pick<StepIntent, 'actor' | 'runUrl' | 'timestamp'> {
  clock += 60_000;
  return {
    actor,
    runUrl: 'https://github.com/acme/recs/actions/runs/42',
    timestamp: new Date(clock).toISOString(),
  };
}

/** What a test says about a step; the rest of the intent is filled in. */
export interface StepFields {
  key?: string;
  step?: StepIntent['step'];
  version: string;
  from: Split | null;
  to: Split;
  stable?: string;
  leaving?: string[];
  reason?: string;
  before?: ReleaseState;
}

export function intent({
  key,
  step = 'shift',
  before = EMPTY_RELEASE_STATE,
  ...fields
}: StepFields): StepIntent {
  return {
    type: 'intent',
    key: key ?? `run 42 ${step} ${fields.version}`,
    step,
    ...fields,
    before,
    ...recordedBy(),
  };
}

export function outcome(key: string, result: StepResult, note?: string, actor = 'alice'): StepOutcome {
  return { type: 'outcome', key, result, ...(note === undefined ? {} : { note }), ...recordedBy(actor) };
}

/**
 * One step as the release actions take it: read the journal, record the intent with the state it read, then the
 * outcome. Resolves with the intent recorded.
 */
export async function takeStep(
  ledger: Ledger,
  fields: StepFields,
  result: StepResult = 'applied',
): Promise<StepIntent> {
  const recorded = intent(fields);
  const { state } = await ledger.read(recorded.key);
  const step = await ledger.begin({ ...recorded, before: state });
  await ledger.finish(step, outcome(recorded.key, result));
  return step.intent;
}

/** The state after v1 took all traffic and v2 began a 10 % canary against it. */
export const CANARY_OF_V2_STATE = {
  live: 'v1',
  split: canarySplit('v1', 'v2', 10),
  fullyLive: ['v1'],
  rolledBack: [],
  canary: { version: 'v2', stable: 'v1' },
  seen: ['v1', 'v2'],
};
