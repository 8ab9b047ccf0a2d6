import {
  codeSpan,
  formatNumber,
  formatPercent,
  markdownTable,
  mermaidNumber,
  mermaidText,
  type MarkdownSection,
} from '@recsys-actions/core';
import type { ColumnDrift, DriftResult } from '@recsys-actions/drift';

/**
 * Wide datasets have hundreds of columns; the rest stay in the JSON report so the job summary (1 MiB) and an
 * issue body (65,536 characters) stay far below GitHub's limits.
 */
const MAX_TABLE_ROWS = 50;
const MAX_CHARTS = 3;
const MAX_CHART_LABEL = 24;

/** "3 of 12 columns drifted (25 %)", the fact every headline, comment and payload starts from. */
export function driftedShareText(result: DriftResult): string {
  const total = result.columns.length;
  return `${result.driftedColumns.length} of ${total} column${total === 1 ? '' : 's'} drifted (${formatPercent(result.driftShare, { digits: 'tenths', spaced: true })})`;
}

/** The Markdown sections shown after the checks in the job summary, and in the issue. */
export function driftSections(result: DriftResult): MarkdownSection[] {
  const sections: MarkdownSection[] = [
    {
      title: 'Columns by drift score',
      markdown: [
        `Reference: ${formatNumber(result.rows.reference)} rows · current: ${formatNumber(result.rows.current)} rows.`,
        columnTable(result.columns),
      ].join('\n\n'),
    },
  ];
  if (result.prediction)
    sections.push({ title: 'Prediction drift', markdown: columnTable([result.prediction]) });
  const charted = result.columns.filter((column) => column.drifted).slice(0, MAX_CHARTS);
  if (charted.length > 0) {
    sections.push({
      title: 'Distributions of the most drifted columns',
      markdown: [
        'Bars: reference, line: current; share of rows per bin or category.',
        ...charted.map(distributionChart),
      ].join('\n\n'),
    });
  }
  return sections;
}

/** One row per column, in the order given (the drift package sorts by score, highest first). */
export function columnTable(columns: ColumnDrift[]): string {
  const shown = columns.slice(0, MAX_TABLE_ROWS);
  const withPValue = shown.some((column) => column.pValue !== undefined);
  const headers = [
    '',
    'Column',
    'Type',
    'Method',
    'Score',
    'Statistic',
    ...(withPValue ? ['p-value'] : []),
    'Threshold',
    'Drifted',
  ];
  const rows = shown.map((column) => [
    column.drifted ? '⚠️' : '✅',
    codeSpan(column.column),
    column.type,
    column.method,
    formatNumber(column.score),
    formatNumber(column.statistic),
    ...(withPValue ? [formatNumber(column.pValue)] : []),
    formatNumber(column.threshold),
    column.drifted ? '**yes**' : 'no',
  ]);
  const table = markdownTable(headers, rows);
  const hidden = columns.length - shown.length;
  return hidden > 0 ? `${table}\n\n…and ${hidden} more columns, listed in the JSON report.` : table;
}

/** A mermaid xychart of the reference and current distributions of one column, as shares of rows. */
export function distributionChart(column: ColumnDrift): string {
  const { labels, reference, current } = column.histogram;
  // Mermaid reads no exponent, so a share such as 1 row in 100 000 must not become 1.000e-5.
  const series = (counts: number[]) => `[${shares(counts).map(mermaidNumber).join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidText(column.column, MAX_CHART_LABEL)}"`,
    `  x-axis [${labels.map((label) => `"${mermaidText(label, MAX_CHART_LABEL)}"`).join(', ')}]`,
    '  y-axis "share of rows"',
    `  bar ${series(reference)}`,
    `  line ${series(current)}`,
    '```',
  ].join('\n');
}

function shares(counts: number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total > 0 ? count / total : 0));
}
