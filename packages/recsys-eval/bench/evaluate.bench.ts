// pnpm bench [-- --rows N]: evaluates k = 10 and 100 on generated files, beside the DuckDB SQL peer (ndcg,
// precision, recall and map@k) and the pandas peer, in the same run. Then the same data in 4 shards split by a
// hash of the user id: each shard's partial results, and their merge, which must equal the whole run.
// The default is the full size: 100,000 users x top-100 (10 M rows), about 1 M held-out rows.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '@recsys-actions/testkit';
import { benchRows, bundledEvaluateChild, type Measurement as BaseMeasurement } from './measure';
import { ensureBenchData, ensureShards } from './generate-data';

const BUDGET = { seconds: 20, peakRssBytes: 1.5 * 1024 ** 3 };
/** Issue 18's goals against DuckDB, and for each of 4 shards against a quarter of the whole run. */
const GOAL = { speedup: 1.5, memoryRatio: 0.5, shardSlack: 1.2, mergeSeconds: 1 };
const KS = '10,100';
const SHARDS = 4;
/** Runs of the whole and of each shard whose median the shard figures compare. */
const SHARD_ROUNDS = 3;
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');

interface Measurement extends BaseMeasurement {
  metrics: Record<string, number>;
  counts: { recommendationRows: number; groundTruthRows: number };
}

function run(command: string, args: string[]): Measurement {
  const child = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as Measurement;
}

const rows = benchRows();

const generationStarted = performance.now();
const folder = join(repoRoot, '.bench', 'recsys-eval');
const files = ensureBenchData(folder, rows);
const shardFiles = ensureShards(files, SHARDS);
const ours = bundledEvaluateChild(folder) as (...args: string[]) => Measurement;
const generationSeconds = (performance.now() - generationStarted) / 1000;

const bare = ours('bare');
const whole = ours('whole', files.recommendations, files.interactions, KS);
const duckdb = run(process.execPath, [
  '--import',
  'tsx',
  join(here, 'duckdb-peer.ts'),
  files.recommendations,
  files.interactions,
  KS,
]);
const pandas = run('/usr/bin/python3', [
  join(here, 'pandas_peer.py'),
  files.recommendations,
  files.interactions,
  KS,
]);

const { recommendationRows, groundTruthRows } = whole.counts;
const totalRows = recommendationRows + groundTruthRows;
const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
console.log(
  `data: ${recommendationRows.toLocaleString('en')} recommendation rows, ${groundTruthRows.toLocaleString('en')} ground-truth rows ` +
    `(${totalRows.toLocaleString('en')} in all), k = ${KS} (files ready in ${generationSeconds.toFixed(1)} s)`,
);
const describe = (name: string, m: Measurement) =>
  `${name.padEnd(16)} wall ${m.seconds.toFixed(2).padStart(7)} s   ${(totalRows / m.seconds / 1e6).toFixed(2).padStart(6)} M rows/s (CPU ${m.cpuSeconds.toFixed(2)} s)   peak RSS ${mib(m.peakRssBytes).padStart(6)} MiB`;
console.log(describe('recsys-eval', whole));
console.log(describe('DuckDB (peer)', duckdb));
console.log(describe('pandas (peer)', pandas));
const speedup = duckdb.seconds / whole.seconds;
const memoryRatio = whole.peakRssBytes / duckdb.peakRssBytes;
console.log(
  `ratio vs DuckDB: ${speedup.toFixed(2)}x its speed (goal >= ${GOAL.speedup}x; CPU ${(duckdb.cpuSeconds / whole.cpuSeconds).toFixed(2)}x), ` +
    `${memoryRatio.toFixed(2)}x its peak memory (goal <= ${GOAL.memoryRatio}x): ` +
    `${speedup >= GOAL.speedup && memoryRatio <= GOAL.memoryRatio ? 'met' : 'MISSED'}`,
);
console.log(
  `ratio vs pandas: ${(pandas.seconds / whole.seconds).toFixed(2)}x its speed, ${(whole.peakRssBytes / pandas.peakRssBytes).toFixed(2)}x its peak memory`,
);
compareValues('DuckDB', duckdb.metrics, whole.metrics);
compareValues('pandas', pandas.metrics, whole.metrics);
if (rows === 10_000_000) {
  const within = whole.seconds <= BUDGET.seconds && whole.peakRssBytes <= BUDGET.peakRssBytes;
  console.log(`budget (<= ${BUDGET.seconds} s, <= 1.5 GB at full size): ${within ? 'met' : 'MISSED'}`);
  if (!within) process.exitCode = 1;
}
benchShards();

function compareValues(peer: string, expected: Record<string, number>, actual: Record<string, number>): void {
  for (const [name, value] of Object.entries(expected)) {
    const ourValue = actual[name];
    const agree = ourValue !== undefined && Math.abs(ourValue - value) <= 1e-9;
    console.log(
      `${name.padEnd(14)} ours ${ourValue?.toFixed(12)}  ${peer} ${value.toFixed(12)}  ${agree ? 'agree' : 'DIFFER'}`,
    );
    if (!agree) process.exitCode = 1;
  }
}

/**
 * Each shard against a quarter of the whole run (time, and memory above a bare Node process); then the merge.
 * The whole run and each shard run {@link SHARD_ROUNDS} times, in interleaved rounds, and each figure is their
 * median: a single second-long run on a shared machine was now and then 1.4x its usual time.
 */
function benchShards(): void {
  const partialFolder = join(folder, 'partials');
  mkdirSync(partialFolder, { recursive: true });
  const partials = shardFiles.map((_, index) => join(partialFolder, `shard-${index}.json`));
  const wholeRuns = [whole];
  const shardRuns: Measurement[][] = shardFiles.map(() => []);
  for (let round = 0; round < SHARD_ROUNDS; round++) {
    if (round > 0) wholeRuns.push(ours('whole', files.recommendations, files.interactions, KS));
    shardFiles.forEach((shard, index) =>
      shardRuns[index]?.push(
        ours('partial', shard.recommendations, shard.interactions, KS, partials[index] as string),
      ),
    );
  }
  const typical = medianOf(wholeRuns);
  const quarterSeconds = typical.seconds / SHARDS;
  const quarterAbove = (typical.peakRssBytes - bare.peakRssBytes) / SHARDS;
  console.log(
    `${SHARDS} shards by user hash, medians of ${SHARD_ROUNDS} runs; a quarter of the whole run: ${quarterSeconds.toFixed(2)} s, ${mib(quarterAbove)} MiB above bare Node (${mib(bare.peakRssBytes)} MiB)`,
  );
  for (const [index, runs] of shardRuns.entries()) {
    const measured = medianOf(runs);
    const timeRatio = measured.seconds / quarterSeconds;
    const memoryRatio = (measured.peakRssBytes - bare.peakRssBytes) / quarterAbove;
    // A shard reads on one thread, the whole run on two: its CPU time shows what the wall ratio owes to that.
    const cpuRatio = measured.cpuSeconds / (typical.cpuSeconds / SHARDS);
    const met = timeRatio <= GOAL.shardSlack && memoryRatio <= GOAL.shardSlack;
    console.log(
      `shard ${index}          wall ${measured.seconds.toFixed(2).padStart(7)} s (${timeRatio.toFixed(2)}x a quarter; CPU ${cpuRatio.toFixed(2)}x)   ` +
        `${mib(measured.peakRssBytes - bare.peakRssBytes).padStart(5)} MiB above bare (${memoryRatio.toFixed(2)}x a quarter)   goal <= ${GOAL.shardSlack}x: ${met ? 'met' : 'MISSED'}`,
    );
  }
  const merged = ours('merge', ...partials);
  console.log(
    `merge            wall ${merged.seconds.toFixed(3).padStart(7)} s (goal < ${GOAL.mergeSeconds} s: ${merged.seconds < GOAL.mergeSeconds ? 'met' : 'MISSED'})`,
  );
  let worst = 0;
  for (const [name, value] of Object.entries(whole.metrics))
    worst = Math.max(worst, Math.abs((merged.metrics[name] ?? Number.NaN) - value));
  console.log(`merged vs whole: largest difference ${worst.toExponential(2)} (must be <= 1e-12)`);
  if (!(worst <= 1e-12)) process.exitCode = 1;
}

/** The median of each figure over runs, taken figure by figure. */
function medianOf(runs: readonly Measurement[]): Measurement {
  return {
    ...(runs[0] as Measurement),
    seconds: median(runs.map((run) => run.seconds)),
    cpuSeconds: median(runs.map((run) => run.cpuSeconds)),
    peakRssBytes: median(runs.map((run) => run.peakRssBytes)),
  };
}
