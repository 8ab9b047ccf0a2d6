import type { Check } from '@recsys-actions/core';
import type { QualityGateResult } from './evaluate';

/** Which findings stop the release: critical failures only, warnings too, or nothing (report only). */
export const FAIL_ON_LEVELS = ['critical', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

export type QualityVerdict = 'pass' | 'warn' | 'fail';

export interface QualityDecision {
  verdict: QualityVerdict;
  checks: Check[];
  criticalFailures: string[];
  /** Names of the warning checks, the threshold rules' and any extra check (such as model size) that warned. */
  warnings: string[];
  /** The names that fail the step under the chosen fail-on level; empty when the step passes. */
  failing: string[];
  headline: string;
}

/**
 * Turns the rule results, plus checks the rules do not cover (such as model size), into the verdict and the
 * list of findings that fail the step. The verdict never depends on fail-on: fail-on only decides what blocks.
 */
export function decideQuality(
  gate: QualityGateResult,
  extraChecks: Check[],
  failOn: FailOn,
): QualityDecision {
  const checks = [...gate.checks, ...extraChecks];
  const warnings = [...gate.warnings, ...extraChecks.filter((c) => c.status === 'warn').map((c) => c.name)];
  const critical = gate.criticalFailures;
  const verdict: QualityVerdict = critical.length > 0 ? 'fail' : warnings.length > 0 ? 'warn' : 'pass';
  const failing = failOn === 'never' ? [] : failOn === 'warning' ? [...critical, ...warnings] : critical;
  return {
    verdict,
    checks,
    criticalFailures: critical,
    warnings,
    failing,
    headline: headline(verdict, critical, warnings, checks.length),
  };
}

function headline(verdict: QualityVerdict, critical: string[], warnings: string[], total: number): string {
  if (verdict === 'fail')
    return `${critical.length} of ${total} checks failed a critical rule: ${critical.join(', ')}.`;
  if (verdict === 'warn')
    return `All critical checks passed; ${warnings.length} warning(s): ${warnings.join(', ')}.`;
  return total === 0 ? 'Metrics computed; no checks configured.' : `All ${total} checks passed.`;
}
