import { UserFacingError } from '@recsys-actions/core';
import type { StepIntent } from '@recsys-actions/ledger';
import {
  openReleaseTargets,
  readLedgerSelection,
  readRouterConfig,
  type PublishChange,
  type ReleaseTargets,
} from '@recsys-actions/release';
import { describeSplit, type Split } from '@recsys-actions/traffic';
import { githubDeployments } from './deployments';
import { commitAndPush, GITHUB_ACTIONS_BOT, openOrUpdatePullRequest } from './git-push';
import { pullsApi, requireRepository } from './github';
import type { PushMode } from './push-mode';
import type { ActionContext } from './run';

/**
 * The router and ledger of a shift or a rollback, opened with the run's GitHub Deployments API, and every
 * secret they hold masked before anything can print it. Their inputs (router, router-config, ledger, ...) are read
 * and checked here, by their backends, still before anything changes; the action read its own inputs first.
 */
export function openReleaseStep(
  ctx: ActionContext<'shift-traffic' | 'rollback'>,
  inputs: { environment: string; push: PushMode },
): ReleaseTargets & { publisher: ReleasePublisher } {
  const router = readRouterConfig(ctx.read, ctx.run.workspace);
  const ledger = readLedgerSelection(ctx.read);
  ctx.mask(ledger.token);
  const targets = openReleaseTargets(
    { environment: inputs.environment, router, ledger },
    ctx.run,
    (token) => githubDeployments(ctx.github(token), ctx.run),
    ctx.exec,
  );
  for (const secret of targets.router.credentials) ctx.mask(secret);
  const publisher = releasePublisher(ctx, targets, {
    mode: inputs.push,
    environment: inputs.environment,
    token: ledger.token ?? '',
  });
  return { ...targets, publisher };
}

interface ReleasePush {
  mode: PushMode;
  environment: string;
  /** The commit message, e.g. `recsys: production v1 90% / v2 10% (shift-traffic, run 42)`. */
  message: string;
  /** For `pr`: the token that opens the pull request. */
  token: string;
}

/**
 * Commits and pushes the files the router and the ledger wrote in the workspace (`push: branch` to the
 * checked-out branch, `push: pr` to `recsys/<environment>` with a pull request). Returns a note for the report,
 * undefined when nothing was pushed.
 */
async function pushReleaseStep(
  ctx: ActionContext<'shift-traffic' | 'rollback'>,
  targets: ReleaseTargets,
  push: ReleasePush,
): Promise<string | undefined> {
  if (push.mode === 'none') return undefined;
  const files = [...(targets.router.workspaceFiles ?? []), ...(targets.ledger.workspaceFiles ?? [])];
  const checkedOut = checkedOutBranch(ctx.run.ref);
  const branch = push.mode === 'pr' ? `recsys/${push.environment}` : checkedOut;
  const pushed = await commitAndPush({
    workspace: ctx.run.workspace,
    files,
    message: push.message,
    author: GITHUB_ACTIONS_BOT,
    branch,
    force: push.mode === 'pr',
  });
  if (!pushed.commit) return undefined;
  ctx.info(`Pushed ${pushed.commit} to ${branch}.`);
  if (push.mode === 'branch') return `Pushed ${pushed.commit.slice(0, 12)} to ${branch}.`;
  const pull = await openOrUpdatePullRequest(pullsApi(await ctx.github(push.token)), {
    ...requireRepository(ctx.run),
    head: branch,
    base: checkedOut,
    title: push.message,
    body: `${push.message}\n\nTraffic moves when this pull request is merged.${ctx.run.runUrl ? ` Run: ${ctx.run.runUrl}` : ''}`,
  });
  ctx.info(`${pull.created ? 'Opened' : 'Updated'} pull request #${pull.number}: ${pull.url}`);
  return `Traffic moves when pull request #${pull.number} (${pull.url}) is merged.`;
}

function checkedOutBranch(ref: string | undefined): string {
  if (ref?.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  throw new UserFacingError(
    `push needs the job to run on a branch, but GITHUB_REF is '${ref ?? ''}'; run the workflow from a branch ` +
      '(workflow_dispatch or push), or set push: none. Traffic did not move.',
  );
}

export interface ReleasePublisher {
  /** For the release use case: pushes the verified change before its outcome is recorded. */
  publish?: PublishChange;
  /** After the step, with the split it left: pushes what is left; resolves with the notes for the report. */
  finish(split: Split): Promise<string[]>;
}

/**
 * How a step's files reach the branch. `push: branch` pushes twice: the change (intent and split) before the
 * outcome is recorded, so a rejected push leaves no `applied` in any ledger, then the outcome, whose failure is
 * only a warning (the next step records it). `push: pr` pushes once at the end: nothing is live before the pull
 * request is merged anyway.
 */
function releasePublisher(
  ctx: ActionContext<'shift-traffic' | 'rollback'>,
  targets: ReleaseTargets,
  settings: Omit<ReleasePush, 'message'>,
): ReleasePublisher {
  const notes: string[] = [];
  const run = ctx.run.runId ?? 'local';
  const push = async (message: string) => {
    const note = await pushReleaseStep(ctx, targets, { ...settings, message });
    if (note) notes.push(note);
  };
  const describe = (split: Split) =>
    `recsys: ${settings.environment} ${describeSplit(split)} (${ctx.action}, run ${run})`;
  return {
    ...(settings.mode === 'branch' ? { publish: (intent: StepIntent) => push(describe(intent.to)) } : {}),
    async finish(split) {
      if (settings.mode === 'none') return notes;
      const message =
        settings.mode === 'pr'
          ? describe(split)
          : `recsys: ${settings.environment} journal (${ctx.action}, run ${run})`;
      try {
        await push(message);
      } catch (error) {
        if (settings.mode === 'pr') throw error;
        ctx.warning(
          `The step's outcome was not pushed (${(error as Error).message}); the next step records it.`,
        );
      }
      return notes;
    },
  };
}
