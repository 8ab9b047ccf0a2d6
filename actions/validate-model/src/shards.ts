import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import {
  InputError,
  resolveWorkspaceFile,
  resolveWorkspaceOutput,
  resolveWorkspacePath,
  writeInputFileAtomic,
} from '@recsys-actions/core';
import { expandPaths, NoMatchingFileError } from '@recsys-actions/data';
import { evaluatePartial, mergePartials, parseMetricName, parsePartial } from '@recsys-actions/recsys-eval';
import type { ActionContext } from '@recsys-actions/runtime';
import { evaluateOptions, reportedEvaluation } from './compute-metrics';
import { MERGE_EXAMPLE, type ValidateModelInputs } from './inputs';

/** A threshold on auc cannot be judged after a merge, so it fails before any file is read. */
export function checkMergeableThresholds(inputs: ValidateModelInputs): void {
  if (inputs.mergePartials && Object.hasOwn(inputs.thresholds, 'auc')) {
    throw new InputError(
      'thresholds',
      "names 'auc', which merged shards cannot report: it ranks every prediction against every other, so it needs the whole data in one run",
      "'logloss: {max: 0.5}'",
    );
  }
}

/**
 * `partial-only: true`: computes the shard's sums and counts, writes them, and gates nothing. A shard's files are
 * read on this thread alone: the matrix already runs the shards side by side, and a worker's own memory (about
 * 45 MiB) would be a large share of a shard's.
 */
export async function writeShardPartial(ctx: ActionContext<'validate-model'>, inputs: ValidateModelInputs) {
  const workspace = ctx.run.workspace;
  const target = resolveWorkspaceOutput(
    'partial-path',
    inputs.partialPath,
    workspace,
    'partials/shard-1.json',
  );
  const file = (input: string, value: string) => resolveWorkspaceFile(input, value, workspace);
  const partial = await evaluatePartial(evaluateOptions(inputs, file));
  writeInputFileAtomic('partial-path', target, JSON.stringify(partial));
  ctx.setOutputs({ passed: true, verdict: 'pass', metrics: {}, 'partial-path': target });
  const counts = { ...partial.counts };
  await ctx.publish({
    verdict: 'pass',
    title: `Shard partial results written to ${inputs.partialPath}`,
    environment: inputs.environment,
    model: { version: inputs.modelVersion },
    checks: [],
    notes: [
      `partial-only: this shard's ${counts.evaluatedUsers} evaluated users are summed into ${inputs.partialPath}; a later step with merge-partials computes the metrics of all shards and applies the thresholds.`,
    ],
    details: { metrics: {}, baseline: null, counts, failOn: inputs.failOn, userTables: null },
  });
}

/** `merge-partials`: the metrics of every shard together, as an unsharded run would report them. */
export async function mergedMetrics(
  pattern: string,
  workspace: string,
  gated: { thresholds: object; precomputed: object },
) {
  const absolute = resolveWorkspacePath('merge-partials', pattern, workspace, MERGE_EXAMPLE);
  const matches = await expandPaths([absolute]).catch((error: unknown) => {
    if (error instanceof NoMatchingFileError)
      throw new InputError('merge-partials', `matches no file ('${pattern}')`, MERGE_EXAMPLE);
    throw error;
  });
  const files = await Promise.all(
    matches.map(async (match) => {
      const path = resolveWorkspaceFile('merge-partials', match, workspace, { example: MERGE_EXAMPLE });
      const name = relative(workspace, path);
      return { path: name, partial: parsePartial(name, await readFile(path, 'utf8')) };
    }),
  );
  const merged = mergePartials(files);
  checkShardCutoffsCover(gated, files[0]?.partial.k ?? [], files[0]?.path ?? pattern);
  return reportedEvaluation(merged);
}

/** A rule on ndcg@20 when the shards computed k = 10 would fail as missing; the fix is in the shards' `k`. */
function checkShardCutoffsCover(
  { thresholds, precomputed }: { thresholds: object; precomputed: object },
  cutoffs: number[],
  file: string,
): void {
  for (const name of Object.keys(thresholds)) {
    const parsed = Object.hasOwn(precomputed, name) ? undefined : parseMetricName(name);
    if (parsed && 'k' in parsed && !cutoffs.includes(parsed.k)) {
      throw new InputError(
        'thresholds',
        `names '${name}', but the shards computed k ${cutoffs.join(',')} (field 'k' of ${file}); run the shards with k including ${parsed.k}`,
        `'ndcg@${cutoffs[0]}: {min: 0.42}'`,
      );
    }
  }
}
