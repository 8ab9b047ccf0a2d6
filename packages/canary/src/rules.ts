import { formatPercent, formatSignificant } from '@recsys-actions/core';
import { toleranceOf, type CheckConfig } from './checks';

/**
 * The per-interval rules of threshold analysis (and of value checks under sequential analysis): absolute
 * bounds on the canary, and for value checks a largest change relative to the baseline. A ratio check's
 * tolerance is not a per-interval rule: one interval's rate is too noisy to compare with the baseline's.
 */
export function ruleBreach(check: CheckConfig, canary: number, baseline: number): string | undefined {
  if (check.max !== undefined && canary > check.max)
    return `${formatSignificant(canary)} above max ${check.max}`;
  if (check.min !== undefined && canary < check.min)
    return `${formatSignificant(canary)} below min ${check.min}`;
  if (check.type === 'ratio') return undefined;
  const change = relativeChange(canary, baseline);
  const increase = check['max-increase'];
  const decrease = check['max-decrease'];
  if (increase !== undefined && change > increase)
    return `${formatSignificant(canary)} is ${formatPercent(change, { spaced: true })} above baseline ${formatSignificant(baseline)} (max-increase ${increase})`;
  if (decrease !== undefined && -change > decrease)
    return `${formatSignificant(canary)} is ${formatPercent(-change, { spaced: true })} below baseline ${formatSignificant(baseline)} (max-decrease ${decrease})`;
  return undefined;
}

/** (canary − baseline) / |baseline|, so that it also reads right for negative metrics; ±∞ from a zero baseline. */
export function relativeChange(canary: number, baseline: number): number {
  if (canary === baseline) return 0;
  if (baseline === 0) return canary > 0 ? Infinity : -Infinity;
  return (canary - baseline) / Math.abs(baseline);
}

/** The rules of a check as people read them, for the report's threshold column. */
export function describeRules(check: CheckConfig, statistical: boolean): string {
  const rules: string[] = [];
  if (check.max !== undefined) rules.push(`≤ ${check.max}`);
  if (check.min !== undefined) rules.push(`≥ ${check.min}`);
  if (check.type === 'ratio' && statistical)
    rules.push(
      check.worse === 'higher'
        ? `≤ baseline × ${formatSignificant(1 + toleranceOf(check))}`
        : `≥ baseline × ${formatSignificant(1 - toleranceOf(check))}`,
    );
  if (check.type === 'value' && check['max-increase'] !== undefined)
    rules.push(`≤ baseline + ${formatPercent(check['max-increase'], { spaced: true })}`);
  if (check.type === 'value' && check['max-decrease'] !== undefined)
    rules.push(`≥ baseline − ${formatPercent(check['max-decrease'], { spaced: true })}`);
  return rules.join(', ');
}
