import {
  formatNumber,
  verdictTone,
  versionWeight,
  type Check,
  type Report,
  type ReportOf,
} from '@recsys-actions/core';
import type { SlackMessage } from './blocks';
import { escapeSlack, inlineCode } from './escape';
import { RENDER_BUDGET as B } from './limits';
import { renderDraft, type Fact } from './render';
import { sectionsSummary } from './sections';
import { cutMrkdwn, cutPlain } from './truncate';
import { ACTION_LABELS, CANARY_ADVICE, TONE_EMOJI, VERDICT_LABELS } from './wording';

export interface RenderOptions {
  /** Validated mention tokens (see parseMentions); shown only when the message is failure-toned. */
  mentions?: string[];
}

/**
 * Renders any suite report. Besides the envelope's generic fields it reads each action's typed details: the
 * drifted columns of drift-check, the versions and reason of rollback, and shift-traffic's splits for the
 * canary's share (the canary being `model.version`).
 */
export function renderReportMessage(report: Report, options: RenderOptions = {}): SlackMessage {
  const tone = verdictTone(report.verdict);
  return renderDraft({
    emoji: TONE_EMOJI[tone],
    headline: `${ACTION_LABELS[report.action]}: ${VERDICT_LABELS[report.verdict]}`,
    title: report.title,
    facts: reportFacts(report),
    sections: [
      actionSummary(report),
      checksSummary(report.checks),
      sectionsSummary(report.sections, B.sections),
      notesSummary(report.notes),
    ].filter((text): text is string => text !== undefined),
    links: report.links,
    footer: reportFooter(report),
    mentions: tone === 'failure' ? (options.mentions ?? []) : [],
  });
}

/** Identifiers are cut before they become inline code, so a cut never leaves a code span open. */
const MAX_NAME = 120;

function reportFacts(report: Report): Fact[] {
  const facts: Fact[] = [];
  const fact = (label: string, value: string | undefined) => {
    if (value) facts.push({ label, value: inlineCode(cutPlain(value, MAX_NAME)) });
  };
  fact('Environment', report.environment);
  fact('Model', report.model.version);
  fact('Baseline', report.model.baselineVersion);
  return facts;
}

function actionSummary(report: Report): string | undefined {
  switch (report.action) {
    case 'canary-gate':
      return CANARY_ADVICE[report.verdict];
    case 'drift-check': {
      const columns = report.details.driftedColumns;
      if (columns.length === 0) return undefined;
      return `*Drifted columns (${columns.length}):* ${codeList(columns, B.summary - 40)}`;
    }
    case 'rollback': {
      const { from, to, reason } = report.details;
      const lines = [`*Serving:* ${inlineCode(from || '?')} → ${inlineCode(to || '?')}`];
      if (reason) lines.push(`*Reason:* ${escapeSlack(reason)}`);
      return cutMrkdwn(lines.join('\n'), B.summary);
    }
    case 'shift-traffic':
      return trafficLine(report);
    case 'deployment-report':
      return cutMrkdwn(report.details.environments.map(doraLine).join('\n'), B.summary);
    default:
      return undefined;
  }
}

/** "Traffic: 10% → 25%", the canary's share before and after; without "before" on the first shift. */
function trafficLine(report: ReportOf<'shift-traffic'>): string | undefined {
  const canary = report.model.version;
  if (canary === undefined) return undefined;
  const { previousSplit, split } = report.details;
  const from = previousSplit ? `${formatNumber(versionWeight(previousSplit, canary))}% → ` : '';
  return `*Traffic:* ${from}${formatNumber(versionWeight(split, canary))}%`;
}

type EnvironmentMetrics = ReportOf<'deployment-report'>['details']['environments'][number];

/** "production: 0.75 a week (medium) · lead time 25 h (high) · …", one environment's DORA metrics and bands. */
function doraLine(metrics: EnvironmentMetrics): string {
  const band = (value: string | null) => (value === null ? 'no data' : value);
  const hours = (ms: number | null) => (ms === null ? '—' : `${formatNumber(ms / 3_600_000)} h`);
  const rate = metrics.changeFailureRate.rate;
  const parts = [
    `${formatNumber(metrics.deploymentsPerWeek)} a week (${band(metrics.bands.deploymentFrequency)})`,
    `lead time ${hours(metrics.leadTime.median)} (${band(metrics.bands.leadTime)})`,
    `failure rate ${rate === null ? '—' : `${formatNumber(rate * 100)}%`} (${band(metrics.bands.changeFailureRate)})`,
    `restore ${hours(metrics.timeToRestore.median)} (${band(metrics.bands.timeToRestore)})`,
  ];
  return `*${escapeSlack(cutPlain(metrics.environment, MAX_NAME))}:* ${parts.join(' · ')}`;
}

/** Names as inline code until the budget is spent, then how many were left out. */
function codeList(names: string[], budget: number): string {
  const shown: string[] = [];
  let used = 0;
  for (const name of names) {
    const code = inlineCode(cutPlain(name, MAX_NAME));
    if (used + code.length + 2 > budget) break;
    shown.push(code);
    used += code.length + 2;
  }
  const hidden = names.length - shown.length;
  return shown.join(', ') + (hidden > 0 ? ` and ${hidden} more` : '');
}

const ATTENTION_ORDER: Check['status'][] = ['fail', 'warn', 'no-data'];
const CHECK_EMOJI: Partial<Record<Check['status'], string>> = {
  fail: ':x:',
  warn: ':warning:',
  'no-data': ':grey_question:',
};

/** The checks that need attention, worst first (critical failures before warnings), as many as fit. */
function checksSummary(checks: Check[]): string | undefined {
  if (checks.length === 0) return undefined;
  const attention = checks
    .filter((check) => ATTENTION_ORDER.includes(check.status))
    .sort((a, b) => rank(a) - rank(b));
  if (attention.length === 0) return `:white_check_mark: All ${checks.length} checks passed or were skipped.`;
  const heading = `*${attention.length} of ${checks.length} checks need attention*`;
  const shown: string[] = [];
  let used = heading.length;
  for (const check of attention) {
    const line = cutMrkdwn(checkLine(check), 500);
    if (used + line.length + 1 > B.checks - 60) break;
    shown.push(line);
    used += line.length + 1;
  }
  const hidden = attention.length - shown.length;
  return [heading, ...shown, ...(hidden > 0 ? [`…and ${hidden} more`] : [])].join('\n');
}

function rank(check: Check): number {
  const byStatus = ATTENTION_ORDER.indexOf(check.status) * 2;
  return byStatus + (check.severity === 'warning' ? 1 : 0);
}

function checkLine(check: Check): string {
  const parts = [`${CHECK_EMOJI[check.status] ?? ''} ${inlineCode(cutPlain(check.name, MAX_NAME))}`];
  if (check.value !== undefined) parts.push(formatNumber(check.value));
  if (check.threshold) parts.push(`vs ${escapeSlack(check.threshold)}`);
  if (check.baseline !== undefined && check.baseline !== null)
    parts.push(`(baseline ${formatNumber(check.baseline)})`);
  if (check.message) parts.push(`— ${escapeSlack(check.message)}`);
  return parts.join(' ');
}

function notesSummary(notes: string[]): string | undefined {
  if (notes.length === 0) return undefined;
  return cutMrkdwn(notes.map((note) => `:memo: ${escapeSlack(note)}`).join('\n'), B.notes);
}

function reportFooter(report: Report): string[] {
  const finished = Date.parse(report.finishedAt);
  const seconds = Math.max(0, Math.round((finished - Date.parse(report.startedAt)) / 1000));
  // <!date^…> shows the time in each reader's own time zone; the text after | is for clients that cannot.
  const when = `<!date^${Math.floor(finished / 1000)}^{date_short_pretty} {time}|${report.finishedAt}>`;
  return [`${inlineCode(report.action)} finished ${when} after ${formatDuration(seconds)}`];
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
