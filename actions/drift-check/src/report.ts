import { formatNumber, type Check, type TrackingIssueOutcome } from '@recsys-actions/core';
import type { ReportFields } from '@recsys-actions/runtime';
import type { ColumnDrift, DriftResult } from '@recsys-actions/drift';
import type { ProfileSource } from './reference-profile';
import { driftedShareText, driftSections } from './render';

export interface DriftReportContext {
  environment: string;
  dataset: string;
  checks: Check[];
  profileSource: ProfileSource;
  cacheEnabled: boolean;
  issue?: TrackingIssueOutcome;
  /** The repository_dispatch event type sent, if one was. */
  dispatchEvent?: string;
  /** GitHub calls refused for want of a permission, as warned. */
  problems?: string[];
}

/** The suite report of one drift check; `details` is documented in the action's README. */
export function driftReport(result: DriftResult, context: DriftReportContext): ReportFields<'drift-check'> {
  const where = `${context.environment}/${context.dataset}`;
  const issueNumber = context.issue?.action === 'none' ? undefined : context.issue?.issueNumber;
  return {
    verdict: result.datasetDrift ? 'drift' : 'no-drift',
    title: `${result.datasetDrift ? 'Dataset drift' : 'No dataset drift'} in ${where}: ${driftedShareText(result)}.`,
    environment: context.environment,
    checks: context.checks,
    notes: notes(result, context),
    details: {
      dataset: context.dataset,
      driftShare: result.driftShare,
      driftedColumns: result.driftedColumns,
      columns: result.columns.map(columnSummary),
      prediction: result.prediction ? columnSummary(result.prediction) : null,
      quality: result.quality,
      rows: result.rows,
      profileSource: context.profileSource,
      issueNumber: issueNumber ?? null,
    },
    sections: driftSections(result),
  };
}

/**
 * A column without its histogram: every histogram would bloat the report, and the few worth drawing are in its
 * chart section.
 */
function columnSummary({ histogram: _histogram, ...summary }: ColumnDrift) {
  return summary;
}

function notes(result: DriftResult, context: DriftReportContext): string[] {
  const notes: string[] = [];
  if (result.rows.skippedBadRows > 0)
    notes.push(`${result.rows.skippedBadRows} malformed rows were skipped (on-bad-rows: skip).`);
  notes.push(PROFILE_NOTES[context.profileSource](context.cacheEnabled));
  notes.push(...sketchNotes(result));
  const issue = context.issue;
  if (issue && issue.action !== 'none') {
    const verb = { opened: 'Opened', commented: 'Commented on', closed: 'Closed' }[issue.action];
    notes.push(`${verb} drift issue #${issue.issueNumber}.`);
  }
  if (context.dispatchEvent) notes.push(`Sent the repository_dispatch event '${context.dispatchEvent}'.`);
  notes.push(...(context.problems ?? []));
  return notes;
}

const PROFILE_NOTES: Record<ProfileSource, (cacheEnabled: boolean) => string> = {
  cache: () => 'The reference profile was restored from the Actions cache.',
  computed: (cacheEnabled) =>
    `The reference profile was computed from the reference files (${
      cacheEnabled ? 'not found in the Actions cache' : 'cache-reference: false'
    }).`,
  profiles: () => 'The reference profile was merged from the reference-profiles files.',
};

/** Which columns were judged from sketches (more than 1 M values), with their error bound, and any method swap. */
function sketchNotes(result: DriftResult): string[] {
  const sketched = [...result.columns, ...(result.prediction ? [result.prediction] : [])].filter(
    (column) => column.sketch !== undefined,
  );
  if (sketched.length === 0) return [];
  const listed = sketched
    .map((column) => `${column.column} (ε ${formatNumber(column.sketch?.epsilon ?? 0)})`)
    .join(', ');
  return [
    `Judged from sketches (more than 1 M values; CDFs off by at most ε, added to KS's D): ${listed}.`,
    ...sketched.flatMap((column) =>
      column.sketch?.note ? [`${column.column}: ${column.sketch.note}.`] : [],
    ),
  ];
}
