// Runs one measured step in its own process so the parent can report this process's peak RSS alone:
//   whole <recommendations> <interactions> <k,k,...>              evaluate the files
//   partial <recommendations> <interactions> <k,k,...> <out.json>  write one shard's partial results
//   merge <partial.json> ...                                       merge partial results
//   bare                                                           nothing: the baseline RSS of this process
import { readFileSync, writeFileSync } from 'node:fs';
import { evaluate, evaluatePartial, mergePartials, parsePartial } from '../src/index';
import { printMeasurement } from './measure';

const [mode, ...args] = process.argv.slice(2);
const started = performance.now();
const cpuBefore = process.cpuUsage();
let result: { metrics: Record<string, number>; counts: unknown } = { metrics: {}, counts: {} };
if (mode === 'whole' || mode === 'partial') {
  const [recommendations, interactions, ks, out] = args;
  if (recommendations === undefined || interactions === undefined || ks === undefined)
    throw new Error(`usage: evaluate-child.ts ${mode} <recommendations> <interactions> <k,k,...> [out]`);
  const options = { recommendations, interactions, k: ks.split(',').map(Number) };
  if (mode === 'whole') result = await evaluate(options);
  else writeFileSync(out ?? 'partial.json', JSON.stringify(await evaluatePartial(options)));
} else if (mode === 'merge') {
  result = mergePartials(
    args.map((path) => ({ path, partial: parsePartial(path, readFileSync(path, 'utf8')) })),
  );
} else if (mode !== 'bare') {
  throw new Error('usage: evaluate-child.ts whole|partial|merge|bare ...');
}
printMeasurement(started, cpuBefore, result);
