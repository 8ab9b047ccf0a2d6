import { formatNumber, type Check } from '@recsys-actions/core';
import type { ColumnDrift } from './column-drift';
import type { DriftResult } from './detect';
import { isPValueMethod, type DriftMethod } from './options';

const METHOD_NAMES: Record<DriftMethod, string> = {
  ks: 'KS p-value',
  chisquare: 'chi-square p-value',
  'chisquare-contingency': 'chi-square (contingency) p-value',
  ztest: 'Z-test p-value',
  psi: 'PSI',
  kl: 'KL divergence',
  jensenshannon: 'Jensen-Shannon distance',
  wasserstein: 'Wasserstein (normed)',
  hellinger: 'Hellinger distance',
};

/** The rule that flags drift, as people read it, e.g. "KS p-value ≤ 0.05" or "PSI ≥ 0.1". */
export function driftRule(drift: Pick<ColumnDrift, 'method' | 'threshold'>): string {
  const comparison = drift.method === 'ks' ? '≤' : isPValueMethod(drift.method) ? '<' : '≥';
  return `${METHOD_NAMES[drift.method]} ${comparison} ${formatNumber(drift.threshold)}`;
}

function columnCheck(drift: ColumnDrift, name: string): Check {
  const pValue = isPValueMethod(drift.method) ? drift.pValue : undefined;
  return {
    name,
    status: drift.drifted ? 'warn' : 'pass',
    value: pValue ?? drift.statistic,
    threshold: driftRule(drift),
    message: `${drift.type}${pValue === undefined ? '' : `, statistic ${formatNumber(drift.statistic)}`}${drift.drifted ? ', drifted' : ''}`,
  };
}

/**
 * The report rows: dataset drift first (fail when it drifted), then the prediction and each column (warn when
 * drifted, most drifted first), then the quality findings (warn, or fail when made critical).
 */
export function driftChecks(result: DriftResult): Check[] {
  const compared = result.columns.length;
  const checks: Check[] = [
    {
      name: 'dataset drift',
      status: result.datasetDrift ? 'fail' : 'pass',
      value: result.driftShare,
      message: `${result.driftedColumns.length} of ${compared} columns drifted`,
    },
  ];
  if (result.prediction !== undefined)
    checks.push(columnCheck(result.prediction, `prediction: ${result.prediction.column}`));
  for (const drift of result.columns) checks.push(columnCheck(drift, drift.column));
  for (const finding of result.quality) {
    checks.push({
      name: finding.column === undefined ? finding.kind : `${finding.kind}: ${finding.column}`,
      status: finding.severity === 'critical' ? 'fail' : 'warn',
      severity: finding.severity,
      message: finding.message,
    });
  }
  return checks;
}
