import { formatSignificant } from '@recsys-actions/core';
import { toleranceOf, type CheckConfig } from './checks';
import type { AnalysisOptions } from './options';
import { relativeChange } from './rules';
import { mannWhitneyU } from './stats/mann-whitney';

export type Classification = 'High' | 'Low' | 'Pass' | 'NoData';

export interface CompareResult {
  readonly classification: Classification;
  /** Two-sided Mann-Whitney p-value; null without enough data. */
  readonly pValue: number | null;
  /** (mean canary − mean baseline) / |mean baseline| over the per-interval samples. */
  readonly relativeChange: number | null;
  readonly message: string;
}

/**
 * Kayenta-style judgement of one check over the whole window: a significant Mann-Whitney difference in the
 * bad direction is High or Low only when the mean also moved by more than the check allows; absolute bounds
 * apply to the canary's mean on their own.
 */
export function classifyCheck(
  check: CheckConfig,
  canary: readonly number[],
  baseline: readonly number[],
  options: Pick<AnalysisOptions, 'confidence' | 'minIntervals'>,
): CompareResult {
  const samples = Math.min(canary.length, baseline.length);
  if (samples < options.minIntervals)
    return {
      classification: 'NoData',
      pValue: null,
      relativeChange: null,
      message:
        samples === 0
          ? 'no data'
          : `no data in enough intervals: ${samples} with data, ${options.minIntervals} needed`,
    };
  const canaryMean = mean(canary);
  const change = relativeChange(canaryMean, mean(baseline));
  const { pValue } = mannWhitneyU(canary, baseline);
  const result = (classification: Classification, message: string) => ({
    classification,
    pValue,
    relativeChange: change,
    message,
  });
  if (check.max !== undefined && canaryMean > check.max)
    return result('High', `canary mean ${formatSignificant(canaryMean)} above max ${check.max}`);
  if (check.min !== undefined && canaryMean < check.min)
    return result('Low', `canary mean ${formatSignificant(canaryMean)} below min ${check.min}`);
  const summary = `p = ${formatSignificant(pValue)}, mean change ${formatSignificant(change * 100)} %`;
  if (pValue >= 1 - options.confidence) return result('Pass', `no significant difference (${summary})`);
  const { increase, decrease } = allowedChange(check);
  if (change > 0 && change > increase) return result('High', `significantly higher (${summary})`);
  if (change < 0 && -change > decrease) return result('Low', `significantly lower (${summary})`);
  return result('Pass', `significant but within the allowed change (${summary})`);
}

/** How far the canary's mean may move each way; a direction no rule watches may move freely. */
function allowedChange(check: CheckConfig): { increase: number; decrease: number } {
  if (check.type === 'ratio')
    return check.worse === 'higher'
      ? { increase: toleranceOf(check), decrease: Infinity }
      : { increase: Infinity, decrease: toleranceOf(check) };
  return { increase: check['max-increase'] ?? Infinity, decrease: check['max-decrease'] ?? Infinity };
}

export interface ScoredCheck {
  readonly check: CheckConfig;
  readonly result: CompareResult;
}

export interface CompareDecision {
  readonly verdict: 'promote' | 'rollback' | 'inconclusive';
  /** Weighted share of passing checks among those with data, 0–100; null when no check had data. */
  readonly score: number | null;
  readonly reason: string;
}

/**
 * Turns per-check classifications into a verdict. Checks without data are left out of the score but stop a
 * promote: missing telemetry is never evidence that the canary is healthy, nor that it is broken.
 */
export function decideCompare(
  scored: readonly ScoredCheck[],
  options: Pick<AnalysisOptions, 'pass' | 'marginal'>,
): CompareDecision {
  const judged = scored.filter(({ result }) => result.classification !== 'NoData');
  const missing = scored
    .filter(({ result }) => result.classification === 'NoData')
    .map(({ check }) => check.name);
  const totalWeight = judged.reduce((sum, { check }) => sum + check.weight, 0);
  const passWeight = judged
    .filter(({ result }) => result.classification === 'Pass')
    .reduce((sum, { check }) => sum + check.weight, 0);
  const score = totalWeight === 0 ? null : (passWeight / totalWeight) * 100;
  const criticalFailure = judged.find(
    ({ check, result }) => check.critical && result.classification !== 'Pass',
  );
  if (criticalFailure)
    return {
      verdict: 'rollback',
      score,
      reason: `critical check ${criticalFailure.check.name} is ${criticalFailure.result.classification}: ${criticalFailure.result.message}`,
    };
  if (score === null) return { verdict: 'inconclusive', score, reason: `no data for ${missing.join(', ')}` };
  const scoreText = `score ${formatSignificant(score)}`;
  if (score < options.marginal)
    return { verdict: 'rollback', score, reason: `${scoreText} is below marginal ${options.marginal}` };
  if (missing.length > 0)
    return { verdict: 'inconclusive', score, reason: `${scoreText}, but no data for ${missing.join(', ')}` };
  if (score < options.pass)
    return {
      verdict: 'inconclusive',
      score,
      reason: `${scoreText} is between marginal ${options.marginal} and pass ${options.pass}`,
    };
  return { verdict: 'promote', score, reason: `${scoreText} reaches pass ${options.pass}` };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
