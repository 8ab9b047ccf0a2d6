import { DataError, InputError } from '@recsys-actions/core';
import {
  insightChecks,
  insightSections,
  lookUpCommitTimes,
  prepareInsights,
  summariseInsights,
  type DeploymentInsights,
  type EnvironmentHistory,
} from '@recsys-actions/insights';
import { DEFAULT_LEDGER_PATH, type Ledger } from '@recsys-actions/ledger';
import { openLedger, readLedgerSelection } from '@recsys-actions/release/ledger-backend';
import type { ActionContext } from '@recsys-actions/runtime';
import { githubDeployments } from '@recsys-actions/runtime/deployments';
import { githubCommits } from './commits';
import { checkReportLedger, type readReportInputs, type ReportInputs } from './inputs';

/**
 * Releases can start before the window and settle inside it: the ledger is read this much further back, so a
 * rollback in the window is measured from its release's true start.
 */
const RELEASE_LOOKBACK_MS = 30 * 86_400_000;

/**
 * Reads each environment's journal over the window and publishes its DORA metrics, history and charts, given the
 * report's own inputs; the ledger's inputs are read here.
 */
export async function reportDeployments(
  ctx: ActionContext<'deployment-report'>,
  ownInputs: ReturnType<typeof readReportInputs>,
): Promise<void> {
  const inputs: ReportInputs = { ...ownInputs, ledger: checkReportLedger(readLedgerSelection(ctx.read)) };
  ctx.mask(inputs.ledger.token);
  const until = inputs.until ?? ctx.startedAt;
  const window = { since: new Date(until.getTime() - inputs.sinceMs), until };
  const ledgers = inputs.environments.map((environment) => openEnvironmentLedger(ctx, inputs, environment));
  const histories = await Promise.all(
    ledgers.map(({ environment, ledger }) => readHistory(ctx, environment, ledger, window.since)),
  );
  const prepared = prepareInsights(histories, window);
  const commits = await lookUpCommitTimes(
    prepared.commits,
    ctx.run.workspace,
    inputs.ledger.token ? githubCommits(ctx, inputs.ledger.token) : undefined,
  );
  const insights = summariseInsights(prepared, commits.times, inputs);
  const verdict = insights.belowMinBand.length > 0 ? 'warn' : 'ok';
  ctx.setOutputs({
    verdict,
    metrics: JSON.stringify(insights.environments),
    'below-min-band': JSON.stringify(insights.belowMinBand),
    history: JSON.stringify(insights.history),
  });
  await ctx.publish({
    verdict,
    title: reportTitle(insights, inputs),
    ...(inputs.environments.length === 1 ? { environment: inputs.environments[0] } : {}),
    checks: insightChecks(insights),
    notes: reportNotes(insights, commits),
    sections: insightSections(insights),
    details: { ...insights, ledger: ledgers.map(({ ledger }) => ledger.description).join('; ') },
  });
}

function openEnvironmentLedger(
  ctx: ActionContext<'deployment-report'>,
  inputs: ReportInputs,
  environment: string,
): { environment: string; ledger: Ledger } {
  const ledger = openLedger(inputs.ledger, {
    environment,
    workspace: ctx.run.workspace,
    ref: ctx.run.sha,
    deployments: (token) => githubDeployments(ctx.github(token), ctx.run),
  });
  return { environment, ledger };
}

async function readHistory(
  ctx: ActionContext<'deployment-report'>,
  environment: string,
  ledger: Ledger,
  since: Date,
): Promise<EnvironmentHistory> {
  let history;
  try {
    history = await ledger.history(new Date(since.getTime() - RELEASE_LOOKBACK_MS));
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    throw new InputError(
      'ledger-path',
      `points at a ledger that is not valid: ${error.message}`,
      DEFAULT_LEDGER_PATH,
    );
  }
  if (!history.exists) {
    throw new InputError(
      'environment',
      `names '${environment}', for which nothing was ever recorded (${ledger.description} holds no release step); check the spelling, or run shift-traffic there first`,
      'production',
    );
  }
  for (const warning of history.warnings) ctx.warning(warning);
  return { environment, steps: history.steps };
}

function reportTitle(insights: DeploymentInsights, inputs: ReportInputs): string {
  const days = Math.round(insights.window.days * 10) / 10;
  const promotions = insights.environments.reduce((sum, metrics) => sum + metrics.deployments, 0);
  const failed = insights.environments.reduce((sum, metrics) => sum + metrics.changeFailureRate.failed, 0);
  const settled = insights.environments.reduce((sum, metrics) => sum + metrics.changeFailureRate.settled, 0);
  const below = insights.belowMinBand.length;
  return (
    `${inputs.environments.join(', ')} over ${days} days: ${promotions} promotion(s), ${failed} of ${settled} ` +
    `settled release(s) rolled back` +
    (below > 0 ? `; ${below} metric(s) below ${inputs.minBand}.` : '.')
  );
}

function reportNotes(
  insights: DeploymentInsights,
  commits: Awaited<ReturnType<typeof lookUpCommitTimes>>,
): string[] {
  const notes = [
    `Bands from the ${insights.dora.name} (${insights.dora.url}); min-band ${insights.minBand}.`,
  ];
  for (const metrics of insights.environments) {
    if (metrics.inProgress > 0)
      notes.push(
        `${metrics.environment}: ${metrics.inProgress} release(s) still in progress, not counted as settled.`,
      );
    if (metrics.revertedRollbacks > 0)
      notes.push(
        `${metrics.environment}: ${metrics.revertedRollbacks} rollback(s) reverted an earlier rollback.`,
      );
    if (metrics.leadTime.withoutCommit > 0)
      notes.push(
        `${metrics.environment}: ${metrics.leadTime.withoutCommit} promotion(s) without a known commit time have no lead time.`,
      );
  }
  if (commits.fromApi > 0)
    notes.push(
      `${commits.fromApi} commit time(s) came from the GitHub API: the checkout lacked them (shallow clone).`,
    );
  if (commits.missing.length > 0)
    notes.push(`Commit time unknown for ${commits.missing.map((sha) => sha.slice(0, 12)).join(', ')}.`);
  return notes;
}
