import { formatPercent } from '@recsys-actions/core';
import type { DriftOptions, QualityKind } from './options';
import type { ColumnProfile, DatasetProfile } from './profile';

export interface QualityFinding {
  kind: QualityKind;
  column?: string;
  message: string;
  severity: 'warning' | 'critical';
}

/** A column's missing share may exceed the reference's by this much (absolute) before it is reported. */
export const MISSING_SHARE_TOLERANCE = 0.1;
/** The current row count may differ from the reference's by this share before it is reported. */
export const ROW_COUNT_TOLERANCE = 0.1;
const LISTED_CATEGORIES = 5;

type Finding = Omit<QualityFinding, 'severity'>;

const percent = (share: number): string => formatPercent(share, { digits: 'one-decimal' });

function missingOf(column: ColumnProfile): number {
  return column.type === 'numeric' ? column.numeric.missing : column.counts.missing;
}

/** Findings for one compared column: more missing values, unseen categories, values outside the reference range. */
export function columnFindings(
  reference: ColumnProfile,
  current: ColumnProfile,
  referenceRows: number,
  currentRows: number,
): Finding[] {
  const findings: Finding[] = [];
  const column = reference.name;
  const referenceMissing = missingOf(reference) / referenceRows;
  const currentMissing = missingOf(current) / currentRows;
  if (currentMissing > referenceMissing + MISSING_SHARE_TOLERANCE) {
    findings.push({
      kind: 'missing-values',
      column,
      message: `${percent(currentMissing)} of values are missing, against ${percent(referenceMissing)} in the reference`,
    });
  }
  if (reference.type === 'categorical' && current.type === 'categorical') {
    const known = new Set(reference.categories);
    const unseen = current.categories.filter(
      (name, i) => !known.has(name) && (current.counts.counts[i] as number) > 0,
    );
    if (unseen.length > 0) {
      const listed = unseen
        .slice(0, LISTED_CATEGORIES)
        .map((name) => `'${name}'`)
        .join(', ');
      const more = unseen.length > LISTED_CATEGORIES ? ` and ${unseen.length - LISTED_CATEGORIES} more` : '';
      findings.push({
        kind: 'new-category',
        column,
        message: `${unseen.length} ${unseen.length === 1 ? 'category' : 'categories'} not in the reference: ${listed}${more}`,
      });
    }
  }
  if (reference.type === 'numeric' && current.type === 'numeric' && reference.numeric.count > 0) {
    const { min, max } = reference.numeric;
    const values = current.numeric.sorted.values;
    const outside = countBelow(values, min) + (values.length - countBelow(values, max, true));
    if (outside > 0) {
      findings.push({
        kind: 'out-of-range',
        column,
        message: `${outside} values (${percent(outside / values.length)}) lie outside the reference range [${min}, ${max}]`,
      });
    }
  }
  return findings;
}

/** Findings about the datasets as a whole: row count, columns lacking or added, skipped bad rows. */
export function datasetFindings(
  reference: DatasetProfile,
  current: DatasetProfile,
  firstBadRow: string | undefined,
): Finding[] {
  const findings: Finding[] = [];
  const change = current.rows / reference.rows - 1;
  if (Math.abs(change) > ROW_COUNT_TOLERANCE) {
    findings.push({
      kind: 'row-count',
      message: `${current.rows} rows, ${change > 0 ? '+' : ''}${percent(change)} against the reference's ${reference.rows} (tolerance ±${percent(ROW_COUNT_TOLERANCE)})`,
    });
  }
  const currentColumns = new Set(current.fileColumns);
  const referenceColumns = new Set(reference.fileColumns);
  for (const column of reference.fileColumns) {
    if (!currentColumns.has(column))
      findings.push({
        kind: 'missing-column',
        column,
        message: 'is in the reference but not in the current data',
      });
  }
  for (const column of current.fileColumns) {
    if (!referenceColumns.has(column))
      findings.push({
        kind: 'new-column',
        column,
        message: 'is in the current data but not in the reference',
      });
  }
  if (current.skippedBadRows > 0) {
    findings.push({
      kind: 'bad-rows',
      message: `${current.skippedBadRows} malformed rows were skipped${firstBadRow === undefined ? '' : `; the first: ${firstBadRow}`}`,
    });
  }
  return findings;
}

export function withSeverity(findings: Finding[], options: DriftOptions): QualityFinding[] {
  const critical = new Set(options.criticalQuality ?? []);
  return findings.map((finding) => ({
    ...finding,
    severity: critical.has(finding.kind) ? 'critical' : 'warning',
  }));
}

/** How many sorted values are below `value` (or at most `value` when `orEqual`), by binary search. */
function countBelow(sorted: Float64Array, value: number, orEqual = false): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const at = sorted[mid] as number;
    if (at < value || (orEqual && at === value)) low = mid + 1;
    else high = mid;
  }
  return low;
}
