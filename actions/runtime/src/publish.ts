// The report's way out of a step: the file, the outputs, the job summary and the PR comment. Loaded by the
// context's `publish` on first use, so that the envelope's schemas and the Markdown renderers are compiled only by
// runs that get as far as a report.
import {
  oneLine,
  renderReportMarkdown,
  stampReport,
  stickyMarker,
  upsertStickyComment,
  writeFileAtomic,
  type ActionName,
  type ReportFields,
  type ReportOf,
} from '@recsys-actions/core';
import { appendJobSummary, logInfo, logWarning } from './commands';
import type { RunContext } from './context';
import { issueCommentsApi, pullRequestsForRun } from './github';
import type { OutputValue, PublishOptions } from './run';

/** What publishing needs from the step's context. */
export interface PublishTarget<A extends ActionName> {
  action: A;
  run: RunContext;
  startedAt: Date;
  reportPath: string;
  setOutputs(outputs: Record<string, OutputValue>): void;
}

/** Stamps, validates and writes the report, the job summary and the optional PR comment. */
export async function publishReport<A extends ActionName>(
  { action, run, startedAt, reportPath, setOutputs }: PublishTarget<A>,
  fields: ReportFields<A>,
  options: PublishOptions,
): Promise<ReportOf<A>> {
  const report = stampReport(action, fields, {
    startedAt,
    links: {
      repository: run.owner && run.repo ? `${run.serverUrl}/${run.owner}/${run.repo}` : undefined,
      run: run.runUrl,
      commit: run.commitUrl,
      pullRequest: run.pullRequest?.url,
    },
  });
  writeFileAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  // The report itself as an output lets later jobs (Slack, workflow outputs) use it without the file.
  setOutputs({ 'report-path': reportPath, report: JSON.stringify(report) });
  // The one line a reader of the log looks for: what the step concluded.
  logInfo(oneLine(`${action}: ${report.verdict}. ${report.title}`));
  const markdown = renderReportMarkdown(report);
  appendJobSummary(markdown);
  if (options.comment) {
    // The comment is a courtesy copy of the summary: an API failure must not fail a step whose report is written.
    await commentOnPullRequests(run, options.comment, markdown, logInfo).catch((error: unknown) =>
      logWarning(
        oneLine(`Could not write the PR comment: ${error instanceof Error ? error.message : String(error)}`),
      ),
    );
  }
  return report;
}

async function commentOnPullRequests(
  run: RunContext,
  comment: NonNullable<PublishOptions['comment']>,
  markdown: string,
  log: (message: string) => void,
): Promise<void> {
  if (!comment.token) {
    log('No token given, so no PR comment was written.');
    return;
  }
  const { githubClient } = await import('./github-client');
  const octokit = githubClient(comment.token, run);
  const pulls =
    run.pullRequest || comment.includeAssociatedPullRequests ? await pullRequestsForRun(octokit, run) : [];
  if (pulls.length === 0) {
    log('This run has no pull request, so no PR comment was written.');
    return;
  }
  const api = issueCommentsApi(octokit, run);
  for (const pull of pulls) {
    const result = await upsertStickyComment(api, pull, stickyMarker(comment.key), markdown);
    log(`${result.created ? 'Created' : 'Updated'} the PR comment on #${pull}.`);
  }
}
