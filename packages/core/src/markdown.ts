import { formatBytes, formatNumber, mermaidNumber, mermaidText } from './format';
import { verdictTone, type Check, type Report, type Tone } from './report';
import type { Chart, ReportSection, TableCell, TableColumn } from './report-sections';

/**
 * Makes text from data or people safe inside Markdown that GitHub renders: no HTML, no links or images,
 * no emphasis and no @-mentions (a zero-width space after "@" keeps the text readable but inert).
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Parentheses stay: without a preceding `]` (escaped here) they can never form a link.
      .replace(/([\\`*_{}[\]#+!|~])/g, '\\$1')
      .replace(/@/g, '@\u200b')
  );
}

/** Shows data verbatim as inline code, which GitHub never turns into mentions, links or HTML. */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

export function markdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

const TONE_ICONS: Record<Tone, string> = { success: '✅', warning: '⚠️', failure: '❌', neutral: 'ℹ️' };
const STATUS_ICONS: Record<Check['status'], string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  skip: '⏭️',
  'no-data': '❔',
};

export function toneIcon(tone: Tone): string {
  return TONE_ICONS[tone];
}

export function checkIcon(status: Check['status']): string {
  return STATUS_ICONS[status];
}

/** The one Markdown view of a report, used for the job summary and the PR comment alike. */
export function renderReportMarkdown(report: Report): string {
  const tone = verdictTone(report.verdict);
  const parts = [
    `### ${toneIcon(tone)} ${report.action}: **${report.verdict}**`,
    escapeMarkdown(report.title),
    renderFacts(report),
  ];
  if (report.notes.length > 0)
    parts.push(report.notes.map((note) => `> ${escapeMarkdown(note)}`).join('\n>\n'));
  if (report.checks.length > 0) parts.push(renderChecks(report.checks));
  parts.push(...report.sections.map(renderSectionMarkdown));
  const links = renderLinks(report);
  if (links) parts.push(links);
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}

/** A chart or table section as a `####` heading, its intro, its body (mermaid or a table) and its footnote. */
export function renderSectionMarkdown(section: ReportSection): string {
  const body =
    section.kind === 'chart'
      ? section.charts.map(mermaidChart).join('\n\n')
      : markdownTable(
          section.columns.map((column) => escapeMarkdown(column.header)),
          section.rows.map((row) => section.columns.map((column, i) => markdownCell(column, row[i] ?? null))),
        );
  const text = (value: string | undefined) => (value ? escapeMarkdown(value) : '');
  return [`#### ${escapeMarkdown(section.title)}`, text(section.intro), body, text(section.footnote)]
    .filter(Boolean)
    .join('\n\n');
}

function markdownCell(column: TableColumn, cell: TableCell): string {
  if (cell === null) return formatNumber(null);
  if (column.format === 'flag') return cell === true ? '**yes**' : 'no';
  if (column.format === 'number' && typeof cell === 'number') return formatNumber(cell);
  if (column.format === 'code') return codeSpan(String(cell));
  return escapeMarkdown(String(cell));
}

/** Chart titles and axis names may say more than category labels, which share the width of the x-axis. */
const MAX_CHART_TITLE = 80;
const MAX_CHART_LABEL = 24;

/** A chart as a mermaid `xychart-beta`; every piece of data goes through mermaidText or mermaidNumber. */
function mermaidChart(chart: Chart): string {
  const quoted = (text: string, maxLength = MAX_CHART_TITLE) => `"${mermaidText(text, maxLength)}"`;
  const labels = chart.xAxis.labels.map((label) =>
    typeof label === 'number' ? mermaidNumber(label) : quoted(label, MAX_CHART_LABEL),
  );
  const { range } = chart.yAxis;
  const xAxis = [chart.xAxis.label && quoted(chart.xAxis.label), `[${labels.join(', ')}]`];
  const yAxis = [
    chart.yAxis.label && quoted(chart.yAxis.label),
    range && `${mermaidNumber(range.min)} --> ${mermaidNumber(range.max)}`,
  ];
  const words = (items: (string | undefined)[]) => items.filter(Boolean).join(' ');
  return [
    '```mermaid',
    ...mermaidInit(chart),
    'xychart-beta',
    `  title ${quoted(chart.title)}`,
    `  x-axis ${words(xAxis)}`,
    ...(words(yAxis) ? [`  y-axis ${words(yAxis)}`] : []),
    ...chart.series.map((series) => `  ${series.style} [${series.values.map(mermaidNumber).join(', ')}]`),
    '```',
  ].join('\n');
}

/** The init directive for a size or series colours (schema-checked hex), or nothing when the chart has neither. */
function mermaidInit(chart: Chart): string[] {
  const colours = chart.series.flatMap((series) => (series.colour ? [series.colour] : []));
  if (!chart.size && colours.length === 0) return [];
  const config = {
    ...(chart.size && { xyChart: chart.size }),
    ...(colours.length > 0 && { themeVariables: { xyChart: { plotColorPalette: colours.join(', ') } } }),
  };
  return [`%%{init: ${JSON.stringify(config)}}%%`];
}

function renderFacts(report: Report): string {
  const facts: [string, string][] = [];
  if (report.environment) facts.push(['Environment', codeSpan(report.environment)]);
  if (report.model.version) facts.push(['Model', codeSpan(report.model.version)]);
  if (report.model.baselineVersion) facts.push(['Baseline', codeSpan(report.model.baselineVersion)]);
  if (report.model.sha256) facts.push(['SHA-256', codeSpan(report.model.sha256.slice(0, 12))]);
  if (report.model.sizeBytes !== undefined) facts.push(['Size', formatBytes(report.model.sizeBytes)]);
  if (facts.length === 0) return '';
  return facts.map(([label, value]) => `**${label}:** ${value}`).join(' · ');
}

function renderChecks(checks: Check[]): string {
  const hasBaseline = checks.some((check) => check.baseline !== undefined && check.baseline !== null);
  const headers = ['', 'Check', 'Value', ...(hasBaseline ? ['Baseline'] : []), 'Rule', 'Note'];
  const rows = checks.map((check) => [
    checkIcon(check.status),
    codeSpan(check.name),
    formatNumber(check.value),
    ...(hasBaseline ? [formatNumber(check.baseline)] : []),
    check.threshold ? escapeMarkdown(check.threshold) : '',
    [
      // Marks rules that only warn; a failed check already says it failed.
      check.severity === 'warning' && check.status !== 'fail' ? '(warning)' : '',
      check.message ? escapeMarkdown(check.message) : '',
    ]
      .filter(Boolean)
      .join(' '),
  ]);
  return markdownTable(headers, rows);
}

function renderLinks(report: Report): string {
  const links: string[] = [];
  if (report.links.run) links.push(`[Run](${report.links.run})`);
  if (report.links.commit) links.push(`[Commit](${report.links.commit})`);
  if (report.links.pullRequest) links.push(`[Pull request](${report.links.pullRequest})`);
  return links.join(' · ');
}
