import { formatPercent } from '@recsys-actions/core';
import type { DriftOptions, QualityKind } from './options';
import type { ColumnProfile, DatasetProfile, NumericColumnProfile } from './profile';
import { weightBelow } from './sketch/distribution-stats';
import { distributionOf } from './sketch/numeric-sketch';

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
  return column.type === 'numeric' ? (column.sketch ?? column.numeric).missing : column.counts.missing;
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
  if (reference.type === 'numeric' && current.type === 'numeric') {
    const { count, min, max } = reference.sketch ?? reference.numeric;
    const outside = count > 0 ? outsideRange(current, min, max) : { values: 0, of: 0, about: '' };
    if (outside.values > 0) {
      findings.push({
        kind: 'out-of-range',
        column,
        message: `${outside.about}${outside.values} values (${percent(outside.values / outside.of)}) lie outside the reference range [${min}, ${max}]`,
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
  for (const column of columnsOnlyIn(reference, current)) {
    findings.push({
      kind: 'missing-column',
      column,
      message: 'is in the reference but not in the current data',
    });
  }
  for (const column of columnsOnlyIn(current, reference)) {
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
/** How many current values lie outside [min, max]: counted, or estimated from a sketch (at least 1 if any). */
function outsideRange(
  current: NumericColumnProfile,
  min: number,
  max: number,
): { values: number; of: number; about: string } {
  if (current.sketch === undefined) {
    const values = current.numeric.sorted.values;
    const outside = countBelow(values, min) + (values.length - countBelow(values, max, true));
    return { values: outside, of: values.length, about: '' };
  }
  const { count, min: lowest, max: highest } = current.sketch;
  if (lowest >= min && highest <= max) return { values: 0, of: count, about: '' };
  const { points } = distributionOf(current.sketch);
  const estimate = weightBelow(points, min, false) + (count - weightBelow(points, max, true));
  return { values: Math.max(1, Math.round(estimate)), of: count, about: 'about ' };
}

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

/** The file columns of `profile` that `other` lacks, in file order. */
function columnsOnlyIn(profile: DatasetProfile, other: DatasetProfile): string[] {
  const others = new Set(other.fileColumns);
  return profile.fileColumns.filter((column) => !others.has(column));
}
