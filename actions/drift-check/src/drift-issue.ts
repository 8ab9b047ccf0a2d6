import {
  codeSpan,
  renderSectionMarkdown,
  syncTrackingIssue,
  hiddenMarker,
  type TrackingIssueOutcome,
  type TrackingIssueUpdate,
} from '@recsys-actions/core';
import type { DriftResult } from '@recsys-actions/drift';
import type { Octokit, RunContext } from '@recsys-actions/runtime';
import { trackingIssuesApi } from '@recsys-actions/runtime/issues';
import { withPermissionHint } from './github-errors';
import { driftedShareText, driftSections } from './render';

export interface DriftIssueScope {
  environment: string;
  dataset: string;
  labels: string[];
  runUrl?: string;
  /** The run's date (UTC), so each comment in the thread says which day it describes. */
  date: string;
}

/** Opens, comments on or closes the drift issue of the scope's environment and dataset. */
export function syncDriftIssue(
  octokit: Octokit,
  run: RunContext,
  result: DriftResult,
  scope: Omit<DriftIssueScope, 'runUrl' | 'date'>,
): Promise<TrackingIssueOutcome> {
  const date = new Date().toISOString().slice(0, 10);
  return withPermissionHint('update the drift issue', 'issues: write', () =>
    syncTrackingIssue(
      trackingIssuesApi(octokit, run),
      driftIssueUpdate(result, { ...scope, runUrl: run.runUrl, date }),
    ),
  );
}

/** What the tracking issue of one environment and dataset should say after this run. */
export function driftIssueUpdate(result: DriftResult, scope: DriftIssueScope): TrackingIssueUpdate {
  const where = `${scope.environment}/${scope.dataset}`;
  const run = scope.runUrl ? [`[Run](${scope.runUrl})`] : [];
  return {
    marker: hiddenMarker('drift', scope.environment, scope.dataset),
    labels: scope.labels,
    present: result.datasetDrift,
    title: `Data drift in ${where}`,
    findings: [
      `### Data drift on ${scope.date}`,
      `${codeSpan(where)}: ${driftedShareText(result)}.`,
      ...driftSections(result).map(renderSectionMarkdown),
      ...run,
    ].join('\n\n'),
    resolution: [
      `No dataset drift on ${scope.date}: ${driftedShareText(result)}. Closing this issue.`,
      ...run,
    ].join('\n\n'),
  };
}
