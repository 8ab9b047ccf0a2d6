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

/** The reference and current distributions of one column, as shares of rows. */
export function distributionChart(column: ColumnDrift): Chart {
  const { labels, reference, current } = column.histogram;
  return {
    title: column.column,
    xAxis: { labels },
    yAxis: { label: 'share of rows' },
    series: [
      { name: 'reference', style: 'bar', values: shares(reference) },
      { name: 'current', style: 'line', values: shares(current) },
    ],
  };
}

function shares(counts: number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total > 0 ? count / total : 0));
}
