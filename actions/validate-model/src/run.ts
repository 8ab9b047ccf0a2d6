import {
  commentWanted,
  resolveWorkspaceFile,
  UserFacingError,
  InputError,
  withInputNames,
  type Check,
} from '@recsys-actions/core';
import {
  decideQuality,
  evaluateThresholds,
  fingerprintModel,
  modelSizeCheck,
  readMetricsFile,
  type Metrics,
} from '@recsys-actions/quality-gate';
import { runAction, type ActionContext } from '@recsys-actions/runtime';
import { readValidateModelInputs, type ValidateModelInputs } from './inputs';
import { computeMetrics, isComputableMetric } from './compute-metrics';

/** The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). */
export function run(): Promise<void> {
  return runAction('validate-model', validateModel);
}

/** Checks offline metrics against the quality gates and publishes the verdict. */
export async function validateModel(ctx: ActionContext<'validate-model'>): Promise<void> {
  const inputs = readValidateModelInputs(ctx.read, ctx.run.workspace);
  const { metrics, baseline, model, computed } = await gatherEvidence(inputs, ctx.run.workspace);

  const sizeCheck: Check[] =
    model && inputs.maxModelSize !== undefined ? [modelSizeCheck(model.sizeBytes, inputs.maxModelSize)] : [];
  const gate = evaluateThresholds(inputs.thresholds, metrics, baseline);
  const decision = decideQuality(gate, sizeCheck, inputs.failOn);
  const notes = [...(computed?.notes ?? []), ...gate.notes];
  if (Object.keys(inputs.thresholds).length === 0)
    notes.push('No thresholds were given: metrics are reported, nothing is gated.');

  ctx.setOutputs({
    passed: decision.failing.length === 0,
    verdict: decision.verdict,
    metrics,
    'critical-failures': decision.criticalFailures,
    warnings: decision.warnings,
    'model-sha256': model?.sha256,
  });
  await ctx.publish(
    {
      verdict: decision.verdict,
      title: decision.headline,
      environment: inputs.environment,
      model: { version: inputs.modelVersion, sha256: model?.sha256, sizeBytes: model?.sizeBytes },
      checks: decision.checks,
      notes,
      details: {
        metrics,
        baseline: baseline ?? null,
        counts: computed ? { ...computed.counts } : null,
        failOn: inputs.failOn,
        userTables: computed?.userTables ?? null,
      },
    },
    {
      comment: commentWanted(inputs.comment, ctx.run.eventName)
        ? { token: inputs.token ?? '', key: 'validate-model' }
        : undefined,
    },
  );
  if (decision.failing.length > 0) {
    throw new UserFacingError(
      `Model validation failed (fail-on: ${inputs.failOn}): ${decision.failing.join(', ')}`,
    );
  }
}

/** Reads or computes everything the gate judges: the candidate's metrics, the baseline and the model files. */
async function gatherEvidence(inputs: ValidateModelInputs, workspace: string) {
  const file = (input: string, value: string) => resolveWorkspaceFile(input, value, workspace);
  const metricsFile = (input: 'metrics' | 'baseline', value: string) =>
    withInputNames({ [input]: { input } }, () => readMetricsFile(input, file(input, value), value));
  const precomputed = inputs.metrics ? metricsFile('metrics', inputs.metrics) : {};
  // Checked before computing, so a typo in a rule fails in milliseconds rather than after a long evaluation.
  const unknown = Object.keys(inputs.thresholds).filter(
    (name) => !(name in precomputed) && !isComputableMetric(name),
  );
  if (unknown.length > 0) {
    throw new InputError(
      'thresholds',
      `names unknown metric '${unknown[0]}': it is neither in the metrics file nor one this action computes (such as ndcg@10, precision@10, rmse)`,
      "'ndcg@10: {min: 0.42}'",
    );
  }
  const computed = inputs.recommendations ? await computeMetrics(inputs, file) : undefined;
  const metrics: Metrics = { ...precomputed, ...computed?.metrics };
  const baseline = inputs.baseline ? metricsFile('baseline', inputs.baseline) : undefined;
  const model = inputs.modelPath
    ? await fingerprintModel(
        resolveWorkspaceFile('model-path', inputs.modelPath, workspace, { allowDirectory: true }),
        workspace,
      )
    : undefined;
  return { metrics, baseline, model, computed };
}
