import { formatPercent, roundSignificant, type Check } from '@recsys-actions/core';
import { greaterIsBetter, hasChangeRule, type MetricRule, type Thresholds } from './rules';

export type Metrics = Record<string, number>;

export interface QualityGateResult {
  checks: Check[];
  criticalFailures: string[];
  warnings: string[];
  notes: string[];
}

/**
 * Applies every rule to the candidate's metrics. A metric named in a rule but absent from the results fails
 * (never passes silently). Without a baseline, change rules are skipped with a visible note, as on a first run.
 */
export function evaluateThresholds(
  thresholds: Thresholds,
  metrics: Metrics,
  baseline?: Metrics,
): QualityGateResult {
  const checks: Check[] = [];
  const notes: string[] = [];
  const skippedChangeRules: string[] = [];
  for (const [metric, rule] of Object.entries(thresholds)) {
    // Own values only: a rule named `constructor` must not read Object.prototype's function.
    const value = ownMetric(metrics, metric);
    const baselineValue = baseline && ownMetric(baseline, metric);
    if (value === undefined || !Number.isFinite(value)) {
      checks.push(failure(metric, rule, value, 'missing from the results'));
      continue;
    }
    const problems = boundProblems(value, rule);
    if (hasChangeRule(rule)) {
      if (baselineValue === undefined || !Number.isFinite(baselineValue)) skippedChangeRules.push(metric);
      else problems.push(...changeProblems(metric, value, baselineValue, rule));
    }
    checks.push({
      name: metric,
      status: problems.length === 0 ? 'pass' : rule.severity === 'critical' ? 'fail' : 'warn',
      severity: rule.severity,
      value,
      baseline: baselineValue,
      threshold: describeRule(metric, rule),
      message: problems.length > 0 ? problems.join('; ') : undefined,
    });
  }
  if (skippedChangeRules.length > 0) {
    notes.push(
      `No baseline value for ${skippedChangeRules.join(', ')}: change rules were skipped and only the bounds applied (first run).`,
    );
  }
  return {
    checks,
    criticalFailures: checks.filter((check) => check.status === 'fail').map((check) => check.name),
    warnings: checks.filter((check) => check.status === 'warn').map((check) => check.name),
    notes,
  };
}

function ownMetric(metrics: Metrics, name: string): number | undefined {
  return Object.hasOwn(metrics, name) ? metrics[name] : undefined;
}

function failure(metric: string, rule: MetricRule, value: number | undefined, message: string): Check {
  return {
    name: metric,
    status: rule.severity === 'critical' ? 'fail' : 'warn',
    severity: rule.severity,
    value: value ?? null,
    threshold: describeRule(metric, rule),
    message,
  };
}

function boundProblems(value: number, rule: MetricRule): string[] {
  const problems: string[] = [];
  if (rule.min !== undefined && value < rule.min) problems.push(`below the minimum ${rule.min}`);
  if (rule.max !== undefined && value > rule.max) problems.push(`above the maximum ${rule.max}`);
  return problems;
}

function changeProblems(metric: string, value: number, baseline: number, rule: MetricRule): string[] {
  const up = greaterIsBetter(metric, rule);
  // Improvement is measured in the metric's good direction, so one rule reads the same for RMSE and NDCG.
  const improvement = up ? value - baseline : baseline - value;
  // Rounding slack, so a change of exactly the required size (0.42 vs 0.40 at +5 %) is not failed by the last bit.
  const slack = 1e-12 * Math.max(1, Math.abs(value), Math.abs(baseline));
  const problems: string[] = [];
  const absolute = rule['min-absolute-change'];
  if (absolute !== undefined && improvement < absolute - slack) {
    problems.push(`improves on the baseline by ${roundSignificant(improvement)}, needs ${absolute}`);
  }
  const relative = rule['min-relative-change'];
  if (relative !== undefined) {
    const relativeImprovement =
      baseline === 0
        ? improvement === 0
          ? 0
          : Math.sign(improvement) * Infinity
        : improvement / Math.abs(baseline);
    if (relativeImprovement < relative - slack) {
      problems.push(
        `relative change ${formatPercent(relativeImprovement, { sign: 'minus' })}, needs ${formatPercent(relative, { sign: 'minus' })}`,
      );
    }
  }
  return problems;
}

/** The rule as people read it, e.g. "≥ 0.42, ≥ baseline +1%". */
export function describeRule(metric: string, rule: MetricRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  const direction = greaterIsBetter(metric, rule) ? '≥' : '≤';
  const sign = greaterIsBetter(metric, rule) ? 1 : -1;
  const absolute = rule['min-absolute-change'];
  if (absolute !== undefined) parts.push(`${direction} baseline ${signed(sign * absolute)}`);
  const relative = rule['min-relative-change'];
  if (relative !== undefined)
    parts.push(`${direction} baseline ${formatPercent(sign * relative, { sign: 'always' })}`);
  return parts.join(', ');
}

function signed(value: number): string {
  return value >= 0 ? `+${roundSignificant(value)}` : `−${roundSignificant(-value)}`;
}
