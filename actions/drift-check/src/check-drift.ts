import { UserFacingError } from '@recsys-actions/core';
import { detectDrift, driftChecks, profileInWorker } from '@recsys-actions/drift';
import type { ActionContext } from '@recsys-actions/runtime';
import { actionsProfileCache } from '@recsys-actions/runtime/cache';
import { sendDriftDispatch } from './dispatch';
import { syncDriftIssue } from './drift-issue';
import { dataFiles } from './files';
import { readDriftCheckInputs } from './inputs';
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

  // All inputs and data were read without error by now, so a bad input never touches the issue.
  const github = inputs.token ? ctx.github(inputs.token) : undefined;
  const issue =
    github && inputs.createIssue
      ? await syncDriftIssue(github, run, result, { ...scope, labels: inputs.issueLabels })
      : undefined;
  const dispatchEvent = result.datasetDrift ? inputs.dispatchEvent : undefined;
  if (github && dispatchEvent) await sendDriftDispatch(github, run, dispatchEvent, result, scope);

  ctx.setOutputs({
    'drift-detected': result.datasetDrift,
    'drift-share': result.driftShare,
    'drifted-columns': result.driftedColumns,
    'issue-number': issue?.action === 'none' ? undefined : issue?.issueNumber,
  });
  await ctx.publish(
    driftReport(result, {
      ...scope,
      checks: driftChecks(result),
      profileSource,
      cacheEnabled: inputs.cacheReference,
      issue,
      dispatchEvent,
    }),
  );
  if (inputs.failOnDrift && result.datasetDrift) {
    throw new UserFacingError(
      `Dataset drift in ${inputs.environment}/${inputs.dataset} (fail-on-drift: true): ${driftedShareText(result)}.`,
    );
  }
}
