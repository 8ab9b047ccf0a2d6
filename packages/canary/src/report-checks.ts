import { formatSignificant, type Check, type CheckStatus } from '@recsys-actions/core';
import type { CheckConfig } from './checks';
import type { ArmTotals, CheckEvidence, EngineState } from './engine';
import { describeRules } from './rules';

/** The report's evidence rows, one per check, from a finished (or stopped) analysis. */
export function toReportChecks(state: EngineState): Check[] {
  return state.perCheck.map((evidence, i) => {
    const check = state.checks[i] as CheckConfig;
    const { status, message } = judge(state, evidence);
    const threshold = describeRules(check, state.options.analysis !== 'threshold');
    return {
      name: check.name,
      status,
      severity: check.critical ? 'critical' : 'warning',
      value: average(evidence.canary),
      baseline: average(evidence.baseline),
      ...(threshold && { threshold }),
      message,
    };
  });
}

function judge(state: EngineState, evidence: CheckEvidence): { status: CheckStatus; message: string } {
  const { options } = state;
  if (evidence.intervalsWithData === 0)
    return { status: 'no-data', message: `no data in ${state.intervals} intervals` };
  if (evidence.compare) {
    const status = { Pass: 'pass', High: 'fail', Low: 'fail', NoData: 'no-data' } as const;
    return { status: status[evidence.compare.classification], message: evidence.compare.message };
  }
  const broken =
    evidence.failedIntervals > 0
      ? `broke its rules in ${evidence.failedIntervals} intervals, last: ${evidence.lastBreach}`
      : '';
  const breachStatus: CheckStatus =
    evidence.critical || state.failedIntervals >= options.failureLimit ? 'fail' : 'warn';
  const sequential = evidence.sequential;
  if (!sequential)
    return broken
      ? { status: breachStatus, message: broken }
      : { status: 'pass', message: 'within its rules in every interval' };
  const bar = 1 / options.alpha;
  const worse = `rollback e-value ${formatSignificant(sequential.rollbackEValue)}`;
  const better = `promote e-value ${formatSignificant(sequential.promoteEValue)}`;
  if (sequential.rollbackEValue >= bar)
    return {
      status: 'fail',
      message: `worse than baseline beyond tolerance (${worse} ≥ ${formatSignificant(bar)})`,
    };
  if (broken) return { status: breachStatus, message: broken };
  if (sequential.promoteEValue >= bar)
    return {
      status: 'pass',
      message: `within tolerance of baseline (${better} ≥ ${formatSignificant(bar)})`,
    };
  return {
    status: 'warn',
    message: `not enough evidence either way yet (${worse}, ${better}; decisive at ${formatSignificant(bar)})`,
  };
}

/** Null without data, and when values near Number.MAX_VALUE overflowed the sum: a report holds finite numbers. */
function average(totals: ArmTotals): number | null {
  const mean = totals.sum / totals.count;
  return totals.count > 0 && Number.isFinite(mean) ? mean : null;
}

export interface CheckSeries {
  readonly elapsedSeconds: number[];
  /** The canary's rate or value per interval; null where there was no data or an error. */
  readonly canary: (number | null)[];
  readonly baseline: (number | null)[];
}

/** Per-check time series of canary versus baseline, ready to chart. */
export function chartSeries(state: EngineState): Record<string, CheckSeries> {
  return Object.fromEntries(
    state.checks.map((check) => [
      check.name,
      {
        elapsedSeconds: state.history.map((record) => record.elapsedSeconds),
        canary: state.history.map((record) => record.checks[check.name]?.canary ?? null),
        baseline: state.history.map((record) => record.checks[check.name]?.baseline ?? null),
      },
    ]),
  );
}
