// Runs one measured step in its own process so the parent can report this process's peak RSS alone:
//   whole <recommendations> <interactions> <k,k,...>              evaluate the files
//   partial <recommendations> <interactions> <k,k,...> <out.json>  write one shard's partial results
//   merge <partial.json> ...                                       merge partial results
//   paired <recommendations> <interactions> <k,k,...> <champion>   evaluate with the paired comparison, as
//                                                                  validate-model's baseline-recommendations does
//   bare                                                           nothing: the baseline RSS of this process
import { readFileSync, writeFileSync } from 'node:fs';
import { isWorkerTaskThread, serveWorkerTask } from '@recsys-actions/core';
import {
  EVALUATION_WORKER_TASKS,
  evaluate,
  evaluatePartial,
  mergePartials,
  parsePartial,
} from '../src/index';
import { printMeasurement } from './measure';

// Like validate-model, the recommendation files are read on worker threads that run this script, so their
// memory and CPU count in this process's figures.
if (isWorkerTaskThread()) {
  await serveWorkerTask(EVALUATION_WORKER_TASKS);
} else {
  await measure();
}

async function measure(): Promise<void> {
  const workerScript = new URL(import.meta.url);
  const [mode, ...args] = process.argv.slice(2);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let result: { metrics: Record<string, number>; counts: unknown; paired?: unknown } = {
    metrics: {},
    counts: {},
  };
  if (mode === 'paired') {
    const [recommendations, interactions, ks, champion] = args;
    if (
      recommendations === undefined ||
      interactions === undefined ||
      ks === undefined ||
      champion === undefined
    )
      throw new Error(
        'usage: evaluate-child.ts paired <recommendations> <interactions> <k,k,...> <champion>',
      );
    const evaluation = await evaluate({
      recommendations,
      interactions,
      k: ks.split(',').map(Number),
      paired: { recommendations: champion, confidences: [0.95], resamples: 1000, seed: 19, rboP: 0.9 },
      workerScript,
    });
    const { metrics, counts, paired } = evaluation;
    result = {
      metrics,
      counts,
      paired: paired && {
        users: paired.users,
        ndcg: paired.metrics.find((metric) => metric.name === 'ndcg@10'),
      },
    };
  } else if (mode === 'whole' || mode === 'partial') {
    const [recommendations, interactions, ks, out] = args;
    if (recommendations === undefined || interactions === undefined || ks === undefined)
      throw new Error(`usage: evaluate-child.ts ${mode} <recommendations> <interactions> <k,k,...> [out]`);
    // A shard reads on one thread, as validate-model's partial-only does.
    const options = {
      recommendations,
      interactions,
      k: ks.split(',').map(Number),
      ...(mode === 'whole' ? { workerScript } : {}),
    };
    if (mode === 'whole') result = await evaluate(options);
    else writeFileSync(out ?? 'partial.json', JSON.stringify(await evaluatePartial(options)));
  } else if (mode === 'merge') {
    result = mergePartials(
      args.map((path) => ({ path, partial: parsePartial(path, readFileSync(path, 'utf8')) })),
    );
  } else if (mode !== 'bare') {
    throw new Error('usage: evaluate-child.ts whole|partial|merge|paired|bare ...');
  }
  printMeasurement(started, cpuBefore, result);
}
