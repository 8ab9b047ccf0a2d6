import { UserFacingError, type TrackingIssueOutcome } from '@recsys-actions/core';
import { detectDrift, driftChecks, profileInWorker, type DriftResult } from '@recsys-actions/drift';
import type { ActionContext } from '@recsys-actions/runtime';
import { actionsProfileCache } from '@recsys-actions/runtime/cache';
import { sendDriftDispatch } from './dispatch';
import { syncDriftIssue } from './drift-issue';
import { checkColumnTypesExist, dataFiles } from './files';
import { GitHubRefusal } from './github-errors';
import { readDriftCheckInputs, type DriftCheckInputs } from './inputs';
import { referenceProfile } from './reference-profile';
import { driftedShareText } from './render';
import { driftReport } from './report';

/**
 * The check: profile the reference (cached, or on a worker thread started from `script`) while reading the current
 * data, decide drift, then keep the issue, the dispatch and the report in step with the decision.
 */
export async function checkDrift(ctx: ActionContext<'drift-check'>, script: URL): Promise<void> {
  const { run } = ctx;
  const inputs = readDriftCheckInputs(ctx.read, run.workspace);
  const scope = { environment: inputs.environment, dataset: inputs.dataset };
  const referenceFiles = await dataFiles('reference', inputs.reference, run.workspace);
  const currentFiles = await dataFiles('current', inputs.current, run.workspace);
  await checkColumnTypesExist(inputs.drift.columnTypes, referenceFiles);

  const cache = inputs.cacheReference
    ? actionsProfileCache('drift-reference-profile', ctx.warning)
    : undefined;
  const reference = referenceProfile(referenceFiles, inputs.drift, cache, ctx.warning, (paths, options) =>
    profileInWorker(script, paths, options),
  );
  const result = await detectDrift(
    reference.then(({ profile }) => profile),
    currentFiles,
    inputs.drift,
  );
  const { source: profileSource } = await reference;

  // The result is out (outputs here, the report below) whatever GitHub answers next.
  ctx.setOutputs({
    'drift-detected': result.datasetDrift,
    'drift-share': result.driftShare,
    'drifted-columns': result.driftedColumns,
  });
  // All inputs and data were read without error by now, so a bad input never touches the issue.
  const github = await syncWithGitHub(ctx, inputs, result);
  ctx.setOutputs({
    'issue-number': github.issue?.action === 'none' ? undefined : github.issue?.issueNumber,
  });
  await ctx.publish(
    driftReport(result, {
      ...scope,
      checks: driftChecks(result),
      profileSource,
      cacheEnabled: inputs.cacheReference,
      issue: github.issue,
      dispatchEvent: github.dispatchEvent,
      problems: github.problems,
    }),
  );
  if (github.failure) throw github.failure;
  if (inputs.failOnDrift && result.datasetDrift) {
    throw new UserFacingError(
      `Dataset drift in ${inputs.environment}/${inputs.dataset} (fail-on-drift: true): ${driftedShareText(result)}.`,
    );
  }
}

interface GitHubOutcome {
  issue?: TrackingIssueOutcome;
  dispatchEvent?: string;
  /** What GitHub refused (a missing permission): warned about, and noted in the report. */
  problems: string[];
  /** Any other failure, thrown once the report is written. */
  failure?: unknown;
}

/**
 * Keeps the drift issue and the dispatch in step with the result. A refusal (401/403/404: a permission the
 * workflow did not grant) is a warning, as for the PR comments of validate-model and canary-gate; the drift
 * result stands either way.
 */
async function syncWithGitHub(
  ctx: ActionContext<'drift-check'>,
  inputs: DriftCheckInputs,
  result: DriftResult,
): Promise<GitHubOutcome> {
  const outcome: GitHubOutcome = { problems: [] };
  const github = inputs.token ? ctx.github(inputs.token) : undefined;
  if (!github) return outcome;
  const scope = { environment: inputs.environment, dataset: inputs.dataset };
  const attempt = async (call: () => Promise<void>) => {
    if (outcome.failure !== undefined) return;
    try {
      await call();
    } catch (error) {
      if (!(error instanceof GitHubRefusal)) outcome.failure = error;
      else {
        ctx.warning(error.message);
        outcome.problems.push(error.message);
      }
    }
  };
  if (inputs.createIssue)
    await attempt(async () => {
      outcome.issue = await syncDriftIssue(github, ctx.run, result, { ...scope, labels: inputs.issueLabels });
    });
  const dispatchEvent = result.datasetDrift ? inputs.dispatchEvent : undefined;
  if (dispatchEvent)
    await attempt(async () => {
      await sendDriftDispatch(github, ctx.run, dispatchEvent, result, scope);
      outcome.dispatchEvent = dispatchEvent;
    });
  return outcome;
}
