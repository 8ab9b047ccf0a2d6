import { formatBytes, formatNumber } from './format';
import { verdictTone, type Check, type Report, type Tone } from './report';

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

export interface MarkdownSection {
  title: string;
  markdown: string;
}

/**
 * The one Markdown view of a report, used for the job summary and the PR comment alike. Actions may append
 * sections (charts, tables) derived from their own details.
 */
export function renderReportMarkdown(report: Report, sections: MarkdownSection[] = []): string {
  const tone = verdictTone(report.verdict);
  const parts = [
    `### ${toneIcon(tone)} ${report.action}: **${report.verdict}**`,
    escapeMarkdown(report.title),
    renderFacts(report),
  ];
  if (report.notes.length > 0)
    parts.push(report.notes.map((note) => `> ${escapeMarkdown(note)}`).join('\n>\n'));
  if (report.checks.length > 0) parts.push(renderChecks(report.checks));
  for (const section of sections) parts.push(`#### ${escapeMarkdown(section.title)}\n\n${section.markdown}`);
  const links = renderLinks(report);
  if (links) parts.push(links);
  return `${parts.filter(Boolean).join('\n\n')}\n`;
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
