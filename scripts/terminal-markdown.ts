// Turns a report into plain terminal text for the demo: the job-summary Markdown without its syntax, then the
// report's sections drawn from their data (tables aligned, each chart series as one line of numbers).
import {
  formatNumber,
  renderReportMarkdown,
  type Chart,
  type Report,
  type ReportSection,
  type TableCell,
  type TableColumn,
} from '@recsys-actions/core';

const BOLD = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[22m` : text);

function plain(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, (_, inner: string) => BOLD(inner))
    .replace(/`+([^`]+?)`+/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 <$2>')
    .replace(/\\([\\`*_{}[\]()#+!|~-])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\u200b/g, '');
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => plain(cell.trim()));
}

function renderTable(lines: string[]): string[] {
  return alignedRows(lines.filter((line) => !/^\|[\s|:-]+\|$/.test(line.trim())).map(splitRow));
}

function alignedRows(rows: string[][]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length))) ?? [];
  return rows.map((row) =>
    `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd(),
  );
}

export function markdownToTerminal(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.startsWith('|')) {
      const table: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('|')) table.push(lines[i++] ?? '');
      i -= 1;
      out.push(...renderTable(table));
    } else if (/^#+ /.test(line)) {
      out.push(BOLD(plain(line.replace(/^#+ /, ''))));
    } else if (line.startsWith('```')) {
      // Charts and code blocks do not read well as text; the job summary renders them.
      const fence = line.match(/^`+/)?.[0] ?? '```';
      const kind = line.slice(fence.length).trim();
      while (i + 1 < lines.length && !(lines[i + 1] ?? '').startsWith(fence)) i += 1;
      i += 1;
      out.push(`  (${kind || 'code'} block, shown as a chart in the job summary)`);
    } else {
      out.push(plain(line.replace(/^> ?/, '  ')));
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The report as terminal text, drawn from the report alone: its sections come from their data, not Markdown. */
export function reportToTerminal(report: Report): string {
  const envelope = markdownToTerminal(renderReportMarkdown({ ...report, sections: [] })).trim();
  return [envelope, ...report.sections.map(sectionText)].join('\n\n');
}

function sectionText(section: ReportSection): string {
  const body =
    section.kind === 'chart'
      ? section.charts.flatMap(chartLines)
      : alignedRows([
          section.columns.map((column) => column.header),
          ...section.rows.map((row) =>
            section.columns.map((column, i) => terminalCell(column, row[i] ?? null)),
          ),
        ]);
  const text = (value: string | undefined) => (value ? [value] : []);
  return [BOLD(section.title), ...text(section.intro), ...body, ...text(section.footnote)].join('\n');
}

function terminalCell(column: TableColumn, cell: TableCell): string {
  if (cell === null) return formatNumber(null);
  if (column.format === 'flag') return cell === true ? 'yes' : 'no';
  return typeof cell === 'number' ? formatNumber(cell) : String(cell);
}

/** A chart as one line per series: its range and last value over the points plotted. */
function chartLines(chart: Chart): string[] {
  const of = chart.yAxis.label ? ` of ${chart.yAxis.label}` : '';
  return chart.series.map((series) => {
    const low = formatNumber(Math.min(...series.values));
    const high = formatNumber(Math.max(...series.values));
    const last = formatNumber(series.values.at(-1));
    return `  ${chart.title} · ${series.name}: ${series.values.length} points${of}, ${low} to ${high}, last ${last}`;
  });
}
