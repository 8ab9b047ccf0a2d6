import type { ArmTotals, CheckEvidence, EngineState } from './engine';

/** One version's share of a check's evidence: a ratio check's pooled rate, a value check's mean. */
export type ArmEvidence =
  | { readonly rate: number | null; readonly events: number; readonly total: number }
  | { readonly mean: number | null; readonly intervals: number };

export interface GateCheckEvidence {
  readonly type: CheckEvidence['type'];
  readonly canary: ArmEvidence;
  readonly baseline: ArmEvidence;
  /** Canary rate (or mean) over the baseline's; null when it cannot be formed. */
  readonly ratio: number | null;
  readonly intervals: {
    readonly withData: number;
    readonly noData: number;
    readonly errors: number;
    readonly failed: number;
  };
  readonly sequential?: CheckEvidence['sequential'];
  readonly compare?: CheckEvidence['compare'];
}

/** The `evidence` output: per check, what the verdict rests on, as plain JSON keyed by check name. */
export function gateEvidence(state: EngineState): Record<string, GateCheckEvidence> {
  return Object.fromEntries(state.perCheck.map((evidence) => [evidence.name, checkEvidence(evidence)]));
}

function checkEvidence(evidence: CheckEvidence): GateCheckEvidence {
  const canary = average(evidence.canary);
  const baseline = average(evidence.baseline);
  const ratio = canary === null || baseline === null ? null : canary / baseline;
  return {
    type: evidence.type,
    canary: arm(evidence, evidence.canary),
    baseline: arm(evidence, evidence.baseline),
    ratio: ratio !== null && Number.isFinite(ratio) ? ratio : null,
    intervals: {
      withData: evidence.intervalsWithData,
      noData: evidence.noDataIntervals,
      errors: evidence.errorIntervals,
      failed: evidence.failedIntervals,
    },
    ...(evidence.sequential && { sequential: evidence.sequential }),
    ...(evidence.compare && { compare: evidence.compare }),
  };
}

// The engine pools a ratio check's events in `sum` and its exposure in `count`; a value check's values and
// the intervals they came from.
function arm(evidence: CheckEvidence, totals: ArmTotals): ArmEvidence {
  return evidence.type === 'ratio'
    ? { rate: average(totals), events: totals.sum, total: totals.count }
    : { mean: average(totals), intervals: totals.count };
}

function average(totals: ArmTotals): number | null {
  return totals.count === 0 ? null : totals.sum / totals.count;
}
