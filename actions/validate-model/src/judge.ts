import {
  commentWanted,
  resolveWorkspaceFile,
  UserFacingError,
  InputError,
  withInputNames,
  type Check,
  type ReportSectionInput,
} from '@recsys-actions/core';
import {
  decideQuality,
  evaluateThresholds,
  fingerprintModel,
  modelSizeCheck,
  readMetricsFile,
  type Metrics,
} from '@recsys-actions/quality-gate';
import type { ActionContext } from '@recsys-actions/runtime';
import type { ValidateModelInputs } from './inputs';
import { computeMetrics, isComputableMetric, parseMetricName } from './compute-metrics';
import { mergedMetrics, checkMergeableThresholds, writeShardPartial } from './shards';
import { pairedEvidence, pairedForReport, pairedSections } from './paired';
import { compareShadowLog } from './shadow-log';

/**
 * Checks offline metrics against the quality gates and publishes the verdict, given inputs already read. With
 * `workerScript` the recommendation files are read on worker threads running it; without, one after another on
 * this thread.
 */
export async function judgeModel(
  ctx: ActionContext<'validate-model'>,
  inputs: ValidateModelInputs,
  workerScript?: URL,
): Promise<void> {
  if (inputs.partialOnly) return writeShardPartial(ctx, inputs);
  const evidence = await gatherEvidence(inputs, ctx.run.workspace, workerScript);
  const { metrics, baseline, model, computed, shadow } = evidence;
  const sizeCheck: Check[] =
    model && inputs.maxModelSize !== undefined ? [modelSizeCheck(model.sizeBytes, inputs.maxModelSize)] : [];
  const gate = evaluateThresholds(inputs.thresholds, metrics, baseline, pairedEvidence(computed?.paired));
  const decision = decideQuality(gate, sizeCheck, inputs.failOn);
  const notes = [...(computed?.notes ?? []), ...(shadow?.notes ?? []), ...gate.notes];
  if (Object.keys(inputs.thresholds).length === 0)
    notes.push('No thresholds were given: metrics are reported below, nothing is gated.');

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
        // Only with a champion's lists, so reports without one read as before.
        ...(computed?.paired && { paired: pairedForReport(computed.paired) }),
        ...(shadow ? { shadow: shadow.details } : {}),
      },
      sections: [
        ...(computed?.paired ? pairedSections(computed.paired) : []),
        ...(shadow?.sections ?? []),
        ...ungatedMetricsSection(metrics, inputs.thresholds),
      ],
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
async function gatherEvidence(inputs: ValidateModelInputs, workspace: string, workerScript: URL | undefined) {
  const file = (input: string, value: string) => resolveWorkspaceFile(input, value, workspace);
  const metricsFile = (input: 'metrics' | 'baseline', value: string) =>
    withInputNames({ [input]: { input } }, () => readMetricsFile(input, file(input, value), value));
  const precomputed = inputs.metrics ? metricsFile('metrics', inputs.metrics) : {};
  // Checked before computing, so a typo in a rule fails in milliseconds rather than after a long evaluation.
  const unknown = Object.keys(inputs.thresholds).filter(
    (name) => !Object.hasOwn(precomputed, name) && !isComputableMetric(name),
  );
  if (unknown.length > 0) {
    throw new InputError(
      'thresholds',
      `names unknown metric '${unknown[0]}': it is neither in the metrics file nor one this action computes (such as ndcg@10, precision@10, rmse)`,
      "'ndcg@10: {min: 0.42}'",
    );
  }
  if (inputs.recommendations) checkCutoffsCover(inputs.thresholds, precomputed, inputs.k);
  checkMergeableThresholds(inputs);
  const computed = inputs.recommendations
    ? await computeMetrics(inputs, file, workerScript)
    : inputs.mergePartials
      ? await mergedMetrics(inputs.mergePartials, workspace, { thresholds: inputs.thresholds, precomputed })
      : undefined;
  const shadowLog = inputs.shadowLog;
  const shadow = shadowLog ? await compareShadowLog({ ...inputs, shadowLog }, file) : undefined;
  // The challenger's served lists are judged like recommendations, and the champion's become the baseline.
  const metrics: Metrics = { ...shadow?.offline?.challenger, ...precomputed, ...computed?.metrics };
  const baseline = inputs.baseline ? metricsFile('baseline', inputs.baseline) : shadow?.offline?.champion;
  const model = inputs.modelPath
    ? await fingerprintModel(
        resolveWorkspaceFile('model-path', inputs.modelPath, workspace, { allowDirectory: true }),
        workspace,
      )
    : undefined;
  return { metrics, baseline, model, computed, shadow };
}

/** A rule on `ndcg@20` when only k=10 is computed would fail as "missing"; the fix is in `k`, so say so. */
function checkCutoffsCover(thresholds: object, precomputed: Metrics, cutoffs: number[]): void {
  for (const name of Object.keys(thresholds)) {
    const parsed = Object.hasOwn(precomputed, name) ? undefined : parseMetricName(name);
    if (parsed && 'k' in parsed && !cutoffs.includes(parsed.k)) {
      throw new InputError(
        'k',
        `does not include ${parsed.k}, which the threshold on '${name}' needs (k is ${cutoffs.join(',')})`,
        [...cutoffs, parsed.k].sort((a, b) => a - b).join(','),
      );
    }
  }
}

/** The metrics no threshold judges, so a run without rules (or with a few) still shows every number. */
function ungatedMetricsSection(metrics: Metrics, thresholds: object): ReportSectionInput[] {
  const ungated = Object.entries(metrics).filter(([name]) => !Object.hasOwn(thresholds, name));
  if (ungated.length === 0) return [];
  return [
    {
      kind: 'table',
      title: 'Metrics without a threshold',
      columns: [
        { header: 'Metric', format: 'code' },
        { header: 'Value', format: 'number' },
      ],
      rows: ungated.map(([name, value]) => [name, value]),
    },
  ];
}
