import { formatNumber, type ReportSection, type TableCell, type TableColumn } from '@recsys-actions/core';
import { escapeSlack, inlineCode } from './escape';
import { cutMrkdwn, cutPlain } from './truncate';

/** A Slack message is read at a glance; the full table is in the job summary and the report. */
export const MAX_SLACK_TABLE_ROWS = 5;
const MAX_CELL = 120;

/**
 * The report's sections in mrkdwn, within `budget` characters: a table as a short list of its first rows, a
 * chart as one line naming what it plots, since Slack cannot draw charts (the job summary does).
 */
export function sectionsSummary(sections: ReportSection[], budget: number): string | undefined {
  if (sections.length === 0) return undefined;
  const parts = sections.map((section) =>
    section.kind === 'table' ? tableList(section) : chartMention(section),
  );
  return cutMrkdwn(parts.join('\n\n'), budget);
}

function chartMention(section: Extract<ReportSection, { kind: 'chart' }>): string {
  const title = `:bar_chart: *${escapeSlack(section.title)}*`;
  if (section.charts.length === 0) return `${title}: ${escapeSlack(section.intro ?? 'nothing to chart')}`;
  const series = [...new Set(section.charts.flatMap((chart) => chart.series.map((one) => one.name)))];
  const count = section.charts.length === 1 ? 'a chart' : `${section.charts.length} charts`;
  return `${title}: ${count} of ${series.map(escapeSlack).join(', ')}, drawn in the job summary`;
}

function tableList(section: Extract<ReportSection, { kind: 'table' }>): string {
  const shown = section.rows.slice(0, MAX_SLACK_TABLE_ROWS);
  const lines = shown.map(
    (row) =>
      `• ${section.columns
        .map((column, i) => slackCell(column, row[i] ?? null))
        .filter(Boolean)
        .join(' · ')}`,
  );
  const hidden = section.rows.length - shown.length;
  if (hidden > 0) lines.push(`…and ${hidden} more`);
  return [`*${escapeSlack(section.title)}*`, ...lines].join('\n');
}

function slackCell(column: TableColumn, cell: TableCell): string {
  if (cell === null) return formatNumber(null);
  if (column.format === 'flag') return cell === true ? `*${escapeSlack(column.header || 'yes')}*` : '';
  if (column.format === 'number' && typeof cell === 'number') return formatNumber(cell);
  const text = cutPlain(String(cell), MAX_CELL);
  return column.format === 'code' ? inlineCode(text) : escapeSlack(text);
}
