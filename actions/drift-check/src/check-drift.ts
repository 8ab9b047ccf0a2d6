import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  resolveWorkspaceOutput,
  UserFacingError,
  writeInputFileAtomic,
  type TrackingIssueOutcome,
} from '@recsys-actions/core';
import {
  compareProfiles,
  detectDrift,
  driftChecks,
  profileDataset,
  profileInWorker,
  readProfileFiles,
  serializeProfile,
  type DriftResult,
} from '@recsys-actions/drift';
import type { ActionContext } from '@recsys-actions/runtime';
import { actionsProfileCache } from '@recsys-actions/runtime/cache';
import { sendDriftDispatch } from './dispatch';
import { syncDriftIssue } from './drift-issue';
import { checkColumnTypesExist, dataFiles } from './files';
import { GitHubRefusal } from './github-errors';
import type { DriftCheckInputs } from './inputs';
import { referenceProfile, type ProfileSource, type ReferenceProfile } from './reference-profile';
import { driftedShareText } from './render';
import { driftReport } from './report';

/**
 * The check, given inputs already read: profile the reference (cached, or on a worker thread started from
 * `script`) while reading the current data, decide drift, then keep the issue, the dispatch and the report in step
 * with the decision.
 */
export async function checkDrift(
  ctx: ActionContext<'drift-check'>,
  inputs: DriftCheckInputs,
  script: URL,
): Promise<void> {
  if (inputs.profileOnly) return writeShardProfile(ctx, inputs);
  const scope = { environment: inputs.environment, dataset: inputs.dataset };
  const { result, profileSource } = await decideDrift(ctx, inputs, script);

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

/**
 * The drift decision, each side from data files or merged profile files. From files, the reference is profiled
 * (cached, or on a worker thread started from `script`) while the current data is read.
 */
async function decideDrift(
  ctx: ActionContext<'drift-check'>,
  inputs: DriftCheckInputs,
  script: URL,
): Promise<{ result: DriftResult; profileSource: ProfileSource }> {
  const { workspace } = ctx.run;
  const reference =
    inputs.referenceProfiles.length > 0
      ? readProfileFiles(await dataFiles('reference-profiles', inputs.referenceProfiles, workspace)).then(
          (profile) => ({ profile, source: 'profiles' as const }),
        )
      : referenceFromFiles(ctx, inputs, script);
  // Awaited below; until then a failure of the current side must not leave this rejection unhandled.
  reference.catch(() => undefined);
  if (inputs.currentProfiles.length > 0) {
    const current = await readProfileFiles(
      await dataFiles('current-profiles', inputs.currentProfiles, workspace),
    );
    const { profile, source } = await reference;
    return { result: compareProfiles(profile, current, inputs.drift), profileSource: source };
  }
  const currentFiles = await dataFiles('current', inputs.current, workspace);
  const result = await detectDrift(
    reference.then(({ profile }) => profile),
    currentFiles,
    inputs.drift,
  );
  return { result, profileSource: (await reference).source };
}

async function referenceFromFiles(
  ctx: ActionContext<'drift-check'>,
  inputs: DriftCheckInputs,
  script: URL,
): Promise<ReferenceProfile> {
  const referenceFiles = await dataFiles('reference', inputs.reference, ctx.run.workspace);
  await checkColumnTypesExist(inputs.drift.columnTypes, referenceFiles);
  const cache = inputs.cacheReference
    ? actionsProfileCache('drift-reference-profile', ctx.warning)
    : undefined;
  return referenceProfile(referenceFiles, inputs.drift, cache, ctx.warning, (paths, options) =>
    profileInWorker(script, paths, options),
  );
}

/**
 * `profile-only: true`: profiles this shard's `current` files and writes the profile (format version
 * PROFILE_FORMAT_VERSION) for a later run's `reference-profiles` / `current-profiles`. Written to a temporary
 * file, flushed and renamed, so a killed run never leaves half a profile for the merge to read.
 */
async function writeShardProfile(ctx: ActionContext<'drift-check'>, inputs: DriftCheckInputs): Promise<void> {
  const { workspace } = ctx.run;
  const path = inputs.profilePath
    ? resolveWorkspaceOutput('profile-path', inputs.profilePath, workspace, 'profiles/current-1.json')
    : join(process.env.RUNNER_TEMP || tmpdir(), 'recsys-actions', 'drift-profile.json');
  const files = await dataFiles('current', inputs.current, workspace);
  await checkColumnTypesExist(inputs.drift.columnTypes, files);
  const profile = await profileDataset(files, inputs.drift);
  writeInputFileAtomic('profile-path', path, serializeProfile(profile));
  const sketched = profile.columns.filter(
    (column) => column.type === 'numeric' && column.sketch !== undefined,
  );
  ctx.info(
    `Profiled ${profile.rows} rows × ${profile.columns.length} columns of ${files.length} file(s)` +
      (sketched.length > 0 ? ` (${sketched.length} numeric columns sketched above 1 M values)` : '') +
      ` into ${path}.`,
  );
  ctx.setOutputs({ 'profile-path': path });
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
  const github = inputs.token ? await ctx.github(inputs.token) : undefined;
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
