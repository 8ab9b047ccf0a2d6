import { formatPercent, roundSignificant, type Check } from '@recsys-actions/core';
import { judgeOnEvidence, type PairedEvidence } from './evidence';
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
 * A rule with `confidence` judges its relative change on the paired `evidence` instead (see judgeOnEvidence);
 * an inconclusive interval is a warning whatever the rule's severity.
 */
export function evaluateThresholds(
  thresholds: Thresholds,
  metrics: Metrics,
  baseline?: Metrics,
  evidence: PairedEvidence = {},
): QualityGateResult {
  const checks: Check[] = [];
  const skippedChangeRules: string[] = [];
  const unpaired: string[] = [];
  for (const [metric, rule] of Object.entries(thresholds)) {
    // Own values only: a rule named `constructor` must not read Object.prototype's function.
    const value = ownEntry(metrics, metric);
    if (value === undefined || !Number.isFinite(value)) {
      checks.push(failure(metric, rule, value, 'missing from the results'));
      continue;
    }
    const paired = rule.confidence === undefined ? undefined : ownEntry(evidence, metric);
    const baselineValue = (baseline && ownEntry(baseline, metric)) ?? paired?.baseline;
    const problems = boundProblems(value, rule);
    let inconclusive: string | undefined;
    if (paired) {
      const outcome = judgeOnEvidence(metric, rule, paired);
      if (outcome.decided === 'fail') problems.push(outcome.problem);
      if (outcome.decided === 'inconclusive') inconclusive = outcome.problem;
      const { 'min-relative-change': _judged, ...rest } = rule;
      if (baselineValue !== undefined) problems.push(...changeProblems(metric, value, baselineValue, rest));
    } else if (hasChangeRule(rule)) {
      if (rule.confidence !== undefined) unpaired.push(metric);
      else if (baselineValue === undefined || !Number.isFinite(baselineValue))
        skippedChangeRules.push(metric);
      else problems.push(...changeProblems(metric, value, baselineValue, rule));
    }
    const status =
      problems.length > 0 ? (rule.severity === 'critical' ? 'fail' : 'warn') : inconclusive ? 'warn' : 'pass';
    const messages = inconclusive ? [...problems, inconclusive] : problems;
    checks.push({
      name: metric,
      status,
      severity: rule.severity,
      value,
      baseline: baselineValue,
      threshold: describeRule(metric, rule),
      message: messages.length > 0 ? messages.join('; ') : undefined,
    });
  }
  return {
    checks,
    criticalFailures: checks.filter((check) => check.status === 'fail').map((check) => check.name),
    warnings: checks.filter((check) => check.status === 'warn').map((check) => check.name),
    notes: skippedNotes(skippedChangeRules, unpaired),
  };
}

function skippedNotes(skipped: string[], unpaired: string[]): string[] {
  const notes: string[] = [];
  if (skipped.length > 0) {
    notes.push(
      `No baseline value for ${skipped.join(', ')}: change rules were skipped and only the bounds applied (first run).`,
    );
  }
  if (unpaired.length > 0) {
    notes.push(
      `No paired comparison for ${unpaired.join(', ')}: their rules set a confidence, which needs the champion's recommendations for the same users, so their change rules were skipped and only the bounds applied.`,
    );
  }
  return notes;
}

function ownEntry<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
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
    parts.push(
      `${direction} baseline ${formatPercent(sign * relative, { sign: 'always' })}` +
        (rule.confidence === undefined ? '' : ` at ${formatPercent(rule.confidence)} confidence`),
    );
  return parts.join(', ');
}

function signed(value: number): string {
  return value >= 0 ? `+${roundSignificant(value)}` : `−${roundSignificant(-value)}`;
}
