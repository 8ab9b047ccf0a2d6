import {
  formatNumber,
  formatPercent,
  type Chart,
  type ReportSection,
  type TableSection,
} from '@recsys-actions/core';
import type { ColumnDrift, DriftResult } from '@recsys-actions/drift';

/**
 * Wide datasets have hundreds of columns; the rest stay in the JSON report so the job summary (1 MiB) and an
 * issue body (65,536 characters) stay far below GitHub's limits.
 */
const MAX_TABLE_ROWS = 50;
const MAX_CHARTS = 3;

/** "3 of 12 columns drifted (25 %)", the fact every headline, comment and payload starts from. */
export function driftedShareText(result: DriftResult): string {
  const total = result.columns.length;
  return `${result.driftedColumns.length} of ${total} column${total === 1 ? '' : 's'} drifted (${formatPercent(result.driftShare, { digits: 'tenths', spaced: true })})`;
}

/** The sections shown after the checks in the job summary, and in the issue. */
export function driftSections(result: DriftResult): ReportSection[] {
  const sections: ReportSection[] = [
    {
      ...columnTable(result.columns),
      title: 'Columns by drift score',
      intro: `Reference: ${formatNumber(result.rows.reference)} rows · current: ${formatNumber(result.rows.current)} rows.`,
    },
  ];
  if (result.prediction) sections.push({ ...columnTable([result.prediction]), title: 'Prediction drift' });
  const charted = result.columns.filter((column) => column.drifted).slice(0, MAX_CHARTS);
  if (charted.length > 0) {
    sections.push({
      kind: 'chart',
      title: 'Distributions of the most drifted columns',
      intro: 'Bars: reference, line: current; share of rows per bin or category.',
      charts: charted.map(distributionChart),
    });
  }
  return sections;
}

/** One row per column, in the order given (the drift package sorts by score, highest first). */
export function columnTable(columns: ColumnDrift[]): Omit<TableSection, 'title'> {
  const shown = columns.slice(0, MAX_TABLE_ROWS);
  const withPValue = shown.some((column) => column.pValue !== undefined);
  const number = (header: string) => ({ header, format: 'number' as const });
  const hidden = columns.length - shown.length;
  return {
    kind: 'table',
    columns: [
      { header: '', format: 'text' },
      { header: 'Column', format: 'code' },
      { header: 'Type', format: 'text' },
      { header: 'Method', format: 'text' },
      number('Score'),
      number('Statistic'),
      ...(withPValue ? [number('p-value')] : []),
      number('Threshold'),
      { header: 'Drifted', format: 'flag' },
    ],
    rows: shown.map((column) => [
      column.drifted ? '⚠️' : '✅',
      column.column,
      column.type,
      column.method,
      numberCell(column.score),
      numberCell(column.statistic),
      ...(withPValue ? [numberCell(column.pValue)] : []),
      numberCell(column.threshold),
      column.drifted,
    ]),
    ...(hidden > 0 && { footnote: `…and ${hidden} more columns, listed in the JSON report.` }),
  };
}

/**
 * A divergence is infinite when the current data has a value the reference never had (SciPy's convention). JSON
 * has no infinity, so it travels as its name, which every renderer shows as written.
 */
function numberCell(value: number | undefined): number | string | null {
  if (value === undefined) return null;
  return Number.isFinite(value) ? value : String(value);
}

/** More category labels than this overlap into one unreadable line under a chart of GitHub's width. */
export const MAX_X_LABELS = 8;

const REFERENCE_COLOUR = '#1c7ed6';
const CURRENT_COLOUR = '#e8590c';

/** The reference and current distributions of one column, as shares of rows. */
export function distributionChart(column: ColumnDrift): Chart {
  const { labels, reference, current } = readableBins(column);
  return {
    title: column.column,
    xAxis: { labels },
    yAxis: { label: 'share of rows' },
    series: [
      { name: 'reference', style: 'bar', values: shares(reference), colour: REFERENCE_COLOUR },
      { name: 'current', style: 'line', values: shares(current), colour: CURRENT_COLOUR },
    ],
    size: { width: 720, height: 360 },
  };
}

/**
 * At most {@link MAX_X_LABELS} bins. Numeric bins are merged in runs of neighbours (their ranges joined, so the
 * axis stays in order); categories, listed largest first, keep the largest and sum the rest into "other".
 */
export function readableBins(column: ColumnDrift): ColumnDrift['histogram'] {
  const { labels, reference, current } = column.histogram;
  if (labels.length <= MAX_X_LABELS) return column.histogram;
  const hasOther = labels.at(-1) === 'other';
  const binned = labels.length - (hasOther ? 1 : 0);
  const groups: number[][] = [];
  if (column.type === 'categorical') {
    groups.push(...Array.from({ length: MAX_X_LABELS - 1 }, (_, i) => [i]));
    groups.push(Array.from({ length: labels.length - (MAX_X_LABELS - 1) }, (_, i) => MAX_X_LABELS - 1 + i));
  } else {
    const size = Math.ceil(binned / (MAX_X_LABELS - (hasOther ? 1 : 0)));
    for (let start = 0; start < binned; start += size)
      groups.push(Array.from({ length: Math.min(size, binned - start) }, (_, i) => start + i));
    if (hasOther) groups.push([binned]);
  }
  const sum = (values: number[], group: number[]) => group.reduce((total, i) => total + (values[i] ?? 0), 0);
  return {
    labels: groups.map((group) => groupLabel(column.type, labels, group)),
    reference: groups.map((group) => sum(reference, group)),
    current: groups.map((group) => sum(current, group)),
  };
}

/** `18.77–33.87` for a run of numeric bins `18.77–26.32`, `26.32–33.87`; "other" for a categorical tail. */
function groupLabel(type: ColumnDrift['type'], labels: string[], group: number[]): string {
  const first = labels[group[0] ?? 0] ?? '';
  if (group.length === 1) return first;
  if (type === 'categorical') return 'other';
  const last = labels[group.at(-1) ?? 0] ?? '';
  return `${first.split('–')[0]}–${last.split('–').at(-1)}`;
}

function shares(counts: number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total > 0 ? count / total : 0));
}
