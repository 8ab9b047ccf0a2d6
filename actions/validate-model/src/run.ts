import {
  commentWanted,
  resolveWorkspaceFile,
  UserFacingError,
  InputError,
  type Check,
} from '@recsys-actions/core';
import {
  evaluateThresholds,
  fingerprintModel,
  readMetricsFile,
  type Metrics,
} from '@recsys-actions/quality-gate';
import { runAction, type ActionContext } from '@recsys-actions/runtime';
import { readValidateModelInputs } from './inputs';
import { computeMetrics, isComputableMetric } from './compute-metrics';
import { modelSizeCheck } from './model-size';

/** The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). */
export function run(): Promise<void> {
  return runAction('validate-model', validateModel);
}

/** Checks offline metrics against the quality gates and publishes the verdict. */
export async function validateModel(ctx: ActionContext): Promise<void> {
  const workspace = ctx.run.workspace;
  const inputs = readValidateModelInputs(ctx.read, workspace);
  const file = (input: string, value: string) => resolveWorkspaceFile(input, value, workspace);

  const precomputed = inputs.metrics
    ? readMetricsFile('metrics', file('metrics', inputs.metrics), inputs.metrics)
    : {};
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
  const baseline = inputs.baseline
    ? readMetricsFile('baseline', file('baseline', inputs.baseline), inputs.baseline)
    : undefined;
  const model = inputs.modelPath
    ? await fingerprintModel(
        resolveWorkspaceFile('model-path', inputs.modelPath, workspace, { allowDirectory: true }),
        workspace,
      )
    : undefined;

  const gate = evaluateThresholds(inputs.thresholds, metrics, baseline);
  const sizeCheck: Check[] =
    model && inputs.maxModelSize !== undefined ? [modelSizeCheck(model.sizeBytes, inputs.maxModelSize)] : [];
  const checks = [...gate.checks, ...sizeCheck];
  const warnings = [...gate.warnings, ...sizeCheck.filter((c) => c.status === 'warn').map((c) => c.name)];
  const verdict = gate.criticalFailures.length > 0 ? 'fail' : warnings.length > 0 ? 'warn' : 'pass';
  const failing =
    inputs.failOn === 'never'
      ? []
      : inputs.failOn === 'warning'
        ? [...gate.criticalFailures, ...warnings]
        : gate.criticalFailures;
  const notes = [...(computed?.notes ?? []), ...gate.notes];
  if (Object.keys(inputs.thresholds).length === 0)
    notes.push('No thresholds were given: metrics are reported, nothing is gated.');

  ctx.setOutputs({
    passed: failing.length === 0,
    verdict,
    metrics,
    'critical-failures': gate.criticalFailures,
    warnings,
    'model-sha256': model?.sha256,
  });
  await ctx.publish(
    {
      verdict,
      title: headline(verdict, gate.criticalFailures, warnings, checks.length),
      environment: inputs.environment,
      model: { version: inputs.modelVersion, sha256: model?.sha256, sizeBytes: model?.sizeBytes },
      checks,
      notes,
      details: {
        metrics,
        baseline: baseline ?? null,
        counts: computed?.counts ?? null,
        failOn: inputs.failOn,
      },
    },
    {
      comment: commentWanted(inputs.comment, ctx.run.eventName)
        ? { token: inputs.token ?? '', key: 'validate-model' }
        : undefined,
    },
  );
  if (failing.length > 0) {
    throw new UserFacingError(`Model validation failed (fail-on: ${inputs.failOn}): ${failing.join(', ')}`);
  }
}

function headline(verdict: string, critical: string[], warnings: string[], total: number): string {
  if (verdict === 'fail')
    return `${critical.length} of ${total} checks failed a critical rule: ${critical.join(', ')}.`;
  if (verdict === 'warn')
    return `All critical checks passed; ${warnings.length} warning(s): ${warnings.join(', ')}.`;
  return total === 0 ? 'Metrics computed; no checks configured.' : `All ${total} checks passed.`;
}
