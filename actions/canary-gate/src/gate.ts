import { UserFacingError } from '@recsys-actions/core';
import { gateCharts, gateEvidence, runGate, toReportChecks, type EngineState } from '@recsys-actions/canary';
import type { ActionContext } from '@recsys-actions/runtime';
import { openMetricSource } from '@recsys-actions/telemetry';
import { commentOption } from './comment';
import { analysisOptions, type CanaryGateInputs } from './inputs';
import { sourceConfig } from './source-config';
import { gateNotes, headline, intervalWarnings } from './summary';

/** Judges the canary against its baseline from live metrics and publishes the verdict, given inputs already read. */
export async function gateCanary(ctx: ActionContext<'canary-gate'>, inputs: CanaryGateInputs): Promise<void> {
  ctx.mask(inputs.sourceBasicAuth?.password);
  warnOnDefaultEnvironment(ctx, inputs);
  const options = analysisOptions(inputs);
  const { maxIntervals } = options;
  const startSeconds = Date.now() / 1000;
  const config = sourceConfig(inputs, ctx.run.workspace, startSeconds);
  const source = await openMetricSource(config);
  const versions = { canary: inputs.canaryVersion, baseline: inputs.baselineVersion };

  ctx.info(
    `Judging ${versions.canary} against ${versions.baseline} in ${inputs.environment}: ${options.analysis} analysis, up to ${maxIntervals} intervals of ${inputs.intervalMs / 1000} s from ${config.source}.`,
  );
  const { state } = await ctx.group(`Intervals of ${versions.canary} against ${versions.baseline}`, () =>
    runGate({
      checks: inputs.checks,
      options,
      source,
      versions,
      environment: inputs.environment,
      intervalSeconds: inputs.intervalMs / 1000,
      maxIntervals,
      startSeconds,
      settleSeconds: inputs.settleMs / 1000,
      onInterval: (progress) => logInterval(ctx, progress),
    }),
  );

  const verdict = state.verdict ?? 'inconclusive';
  const checks = toReportChecks(state);
  const evidence = gateEvidence(state);
  ctx.setOutputs({
    verdict,
    'failed-checks': checks.filter((check) => check.status === 'fail').map((check) => check.name),
    evidence,
  });
  // As the user wrote it, not the resolved path, which may differ where the workspace sits behind a symlink.
  const recording = config.source === 'file' ? String(inputs.sourceConfig.path) : undefined;
  await ctx.publish(
    {
      verdict,
      title: headline(verdict, versions.canary, state.reason),
      environment: inputs.environment,
      model: { version: versions.canary, baselineVersion: versions.baseline },
      checks,
      notes: gateNotes(state, recording),
      details: {
        analysis: options.analysis,
        evidence,
        intervals: state.history,
        reason: state.reason,
        ...(state.score !== undefined && { score: state.score }),
      },
      sections: gateCharts(state),
    },
    { comment: commentOption(inputs, ctx.run.eventName) },
  );
  if (verdict === 'rollback' && inputs.failOnRollback)
    throw new UserFacingError(`The canary gate decided rollback for ${versions.canary}: ${state.reason}`);
}

/** One line per interval, after a warning for each check that could not be read or judged in it. */
function logInterval(ctx: ActionContext<'canary-gate'>, progress: EngineState): void {
  for (const warning of intervalWarnings(progress)) ctx.warning(warning);
  ctx.info(`Interval ${progress.intervals}: ${progress.reason}`);
}

/**
 * A step cannot see its job's deployment environment, so `environment` falls back to production; a query that
 * filters on {{environment}} would then silently judge production's metrics during a staging canary.
 */
function warnOnDefaultEnvironment(ctx: ActionContext<'canary-gate'>, inputs: CanaryGateInputs): void {
  if (ctx.read('environment').trim() !== '') return;
  if (!/\{\{\s*environment\s*\}\}/.test(JSON.stringify([inputs.checks, inputs.sourceConfig]))) return;
  ctx.warning(
    `A query uses {{environment}} but the input 'environment' is not set, so it is filled with '${inputs.environment}'. Set it to the environment this canary runs in, e.g. environment: staging`,
  );
}
