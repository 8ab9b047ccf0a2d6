// pnpm bench [-- --rows N]: evaluates k = 10 and 100 on generated files and runs the pandas peer on the same
// files in the same run. The default is the full size: 100,000 users x top-100 (10 M rows), 1 M held-out rows.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pairedBootstrap } from '@recsys-actions/stats';
import { seededRandom } from '@recsys-actions/testkit';
import { ensureBenchData } from './generate-data';

const BUDGET = { seconds: 20, peakRssBytes: 1.5 * 1024 ** 3 };
const KS = '10,100';
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');

interface Measurement {
  seconds: number;
  /** Reported beside wall time because other work on a shared machine stretches the wall clock. */
  cpuSeconds: number;
  peakRssBytes: number;
  metrics: Record<string, number>;
}

interface PairedSummary {
  users: { compared: number };
  ndcg: { relativeChange: number; intervals: { lower: number; upper: number }[]; pValue: number };
}

interface OurMeasurement extends Measurement {
  counts: { recommendationRows: number; groundTruthRows: number };
}

function run<M extends Measurement>(command: string, args: string[]): M {
  const child = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as M;
}

// pnpm forwards the `--` of `pnpm bench -- --rows N` as an argument of its own.
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { rows: { type: 'string', default: '10000000' } },
});
const rows = Number(values.rows);
if (!Number.isSafeInteger(rows) || rows < 100)
  throw new Error(`--rows must be a whole number >= 100, got ${values.rows}`);

const generationStarted = performance.now();
const files = ensureBenchData(join(repoRoot, '.bench', 'recsys-eval'), rows);
const generationSeconds = (performance.now() - generationStarted) / 1000;

const evaluateChild = (...extra: string[]) => [
  '--import',
  'tsx',
  join(here, 'evaluate-child.ts'),
  files.recommendations,
  files.interactions,
  KS,
  ...extra,
];
const ours = run<OurMeasurement>(process.execPath, evaluateChild());
const paired = run<OurMeasurement & { paired: PairedSummary }>(
  process.execPath,
  evaluateChild(files.champion),
);
const peer = run('/usr/bin/python3', [
  join(here, 'pandas_peer.py'),
  files.recommendations,
  files.interactions,
  KS,
]);

const { recommendationRows, groundTruthRows } = ours.counts;
const totalRows = recommendationRows + groundTruthRows;
console.log(
  `data: ${recommendationRows.toLocaleString('en')} recommendation rows, ${groundTruthRows.toLocaleString('en')} ground-truth rows, ` +
    `k = ${KS} (files ready in ${generationSeconds.toFixed(1)} s)`,
);
const describe = (name: string, m: Measurement) =>
  `${name.padEnd(16)} wall ${m.seconds.toFixed(2).padStart(7)} s   ${(totalRows / m.seconds / 1e6).toFixed(2).padStart(6)} M rows/s (CPU ${m.cpuSeconds.toFixed(2)} s)   peak RSS ${(m.peakRssBytes / 1024 ** 2).toFixed(0).padStart(6)} MB`;
console.log(describe('recsys-eval', ours));
console.log(describe('pandas (peer)', peer));
console.log(
  `ratio: recsys-eval takes ${(ours.seconds / peer.seconds).toFixed(2)}x the peer's time ` +
    `(${(peer.seconds / ours.seconds).toFixed(1)}x faster; CPU ${(ours.cpuSeconds / peer.cpuSeconds).toFixed(2)}x) and ${(ours.peakRssBytes / peer.peakRssBytes).toFixed(2)}x its peak memory`,
);

for (const [name, expected] of Object.entries(peer.metrics)) {
  const actual = ours.metrics[name];
  const agree = actual !== undefined && Math.abs(actual - expected) <= 1e-9;
  console.log(
    `${name.padEnd(14)} ours ${actual?.toFixed(12)}  pandas ${expected.toFixed(12)}  ${agree ? 'agree' : 'DIFFER'}`,
  );
  if (!agree) process.exitCode = 1;
}
if (rows === 10_000_000) {
  const within = ours.seconds <= BUDGET.seconds && ours.peakRssBytes <= BUDGET.peakRssBytes;
  console.log(`budget (<= ${BUDGET.seconds} s, <= 1.5 GB at full size): ${within ? 'met' : 'MISSED'}`);
  if (!within) process.exitCode = 1;
}

// The paired comparison: the same evaluation plus a champion of equal size, its statistics and agreement.
const { ndcg } = paired.paired;
console.log(describe('paired (+champion)', paired));
console.log(
  `paired: ${paired.paired.users.compared.toLocaleString('en')} users compared, ndcg@10 change ${(ndcg.relativeChange * 100).toFixed(2)} % ` +
    `[${((ndcg.intervals[0]?.lower ?? NaN) * 100).toFixed(2)}, ${((ndcg.intervals[0]?.upper ?? NaN) * 100).toFixed(2)}], p ${ndcg.pValue.toPrecision(3)}`,
);
const timeRatio = paired.seconds / ours.seconds;
const memoryRatio = paired.peakRssBytes / ours.peakRssBytes;
console.log(
  `ratio: paired takes ${timeRatio.toFixed(2)}x the single-model time (CPU ${(paired.cpuSeconds / ours.cpuSeconds).toFixed(2)}x) and ${memoryRatio.toFixed(2)}x its peak memory (budget <= 2x, <= 1.5x)`,
);
if (timeRatio > 2 || memoryRatio > 1.5) process.exitCode = 1;

// A bootstrap of 1,000 resamples over 100,000 users (one metric), beside the single-model run above.
const bootstrapUsers = 100_000;
const uniform = seededRandom(7);
const sample = {
  users: bootstrapUsers,
  metrics: 1,
  challenger: Float64Array.from({ length: bootstrapUsers }, () => uniform()),
  baseline: Float64Array.from({ length: bootstrapUsers }, () => uniform()),
};
const bootstrapStarted = performance.now();
const bootstrapCpuBefore = process.cpuUsage();
pairedBootstrap(sample, { resamples: 1000, seed: 19, confidences: [0.95] });
const bootstrapSeconds = (performance.now() - bootstrapStarted) / 1000;
const bootstrapCpu = process.cpuUsage(bootstrapCpuBefore);
const bootstrapCpuSeconds = (bootstrapCpu.user + bootstrapCpu.system) / 1e6;
console.log(
  `bootstrap: 1,000 resamples over ${bootstrapUsers.toLocaleString('en')} users, one metric: wall ${bootstrapSeconds.toFixed(2)} s ` +
    `(CPU ${bootstrapCpuSeconds.toFixed(2)} s; budget < 2 s), ${(bootstrapSeconds / ours.seconds).toFixed(2)}x the single-model evaluation's wall time`,
);
// Judged on CPU time, like the evaluation's figures beside it: other work on a shared machine stretches the wall.
if (bootstrapCpuSeconds >= 2) process.exitCode = 1;
