// Drift check on 1 M vs 1 M rows × 20 columns of CSV, against pandas + SciPy in the same run.
// Run from the repository root: pnpm bench:drift  (data is cached in .bench/drift)
// One part alone: pnpm bench:drift 1m | 10m | merge  (10m also runs ours on 1 M, whose memory it is compared with)
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import { repoRoot, runnerNodeBinary } from '@recsys-actions/testkit';
import { DATA_VERSION, writeDataset } from './generate-data';

const ROWS = 1_000_000;
const PARTS = ['1m', '10m', 'merge'] as const;
const only = process.argv[2];
if (only !== undefined && !(PARTS as readonly string[]).includes(only))
  throw new Error(`unknown part '${only}'; give one of ${PARTS.join(', ')} or none for all`);
const runs = (part: (typeof PARTS)[number]) => only === undefined || only === part;
const directory = fileURLToPath(new URL('../../../.bench/drift/', import.meta.url));
const referencePath = `${directory}reference-v${DATA_VERSION}.csv`;
const currentPath = `${directory}current-v${DATA_VERSION}.csv`;

interface RunResult {
  seconds: number;
  readSeconds: number;
  cpuSeconds: number;
  maxRssKiB: number;
  statistics: Record<string, number[]>;
}

/** Runs a child to completion and returns its JSON line and the wall time seen from here (start-up included). */
function timed(command: string, args: string[]): RunResult & { wallSeconds: number } {
  const start = performance.now();
  const output = execFileSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  return { ...(JSON.parse(output) as RunResult), wallSeconds: (performance.now() - start) / 1000 };
}

function compare(
  ours: Record<string, number[]>,
  peer: Record<string, number[]>,
): { identical: number; total: number; worst: number } {
  let identical = 0;
  let total = 0;
  let worst = 0;
  for (const [column, values] of Object.entries(peer)) {
    for (const [i, theirs] of values.entries()) {
      const mine = ours[column]?.[i] ?? Number.NaN;
      total++;
      if (mine === theirs) identical++;
      else worst = Math.max(worst, Math.abs(mine - theirs) / Math.max(Math.abs(theirs), Number.MIN_VALUE));
    }
  }
  return { identical, total, worst };
}

writeDataset(referencePath, ROWS, 1, 0);
writeDataset(currentPath, ROWS, 2, 1);
const megabytes = (path: string) => (statSync(path).size / 2 ** 20).toFixed(0);
console.log(
  `data: ${ROWS} rows × 20 columns, reference ${megabytes(referencePath)} MiB, current ${megabytes(currentPath)} MiB CSV`,
);

// Ours runs as the action does: bundled by ncc (no TypeScript loader in either thread) on Node 24.
const bundle = `${directory}run/`;
execFileSync(
  `${repoRoot()}/node_modules/.bin/ncc`,
  [
    'build',
    fileURLToPath(new URL('./drift-run.ts', import.meta.url)),
    '-o',
    bundle,
    '--transpile-only',
    '-q',
  ],
  { stdio: 'inherit' },
);
type Timed = RunResult & { wallSeconds: number };
const peerScript = fileURLToPath(new URL('./pandas-peer.py', import.meta.url));
const line = (name: string, run: Timed) =>
  `${name.padEnd(16)} wall ${run.wallSeconds.toFixed(2).padStart(6)} s  (read ${run.readSeconds.toFixed(2)} s, total in-process ${run.seconds.toFixed(2)} s)  peak RSS ${(run.maxRssKiB / 1024).toFixed(0).padStart(5)} MiB`;

/** Ours (two threads, then one) and the peer on the 1 M files, with the ratios and the statistics' agreement. */
function benchOneMillion(): { ours: Timed; peer: Timed } {
  const ours = timed(runnerNodeBinary(), [`${bundle}index.js`, referencePath, currentPath]);
  const oursOneThread = timed(runnerNodeBinary(), [
    `${bundle}index.js`,
    referencePath,
    currentPath,
    'one-thread',
  ]);
  const peer = timed('/usr/bin/python3', [peerScript, referencePath, currentPath]);
  console.log(line('ours (Node 24)', ours));
  console.log(line('  one thread', oursOneThread));
  console.log(line('pandas + SciPy', peer));
  console.log(
    `speed-up ${(peer.wallSeconds / ours.wallSeconds).toFixed(2)}x wall (target ≥ 6x), memory ${(ours.maxRssKiB / peer.maxRssKiB).toFixed(2)} of the peer's (target ≤ 0.4); on one thread ${(peer.wallSeconds / oursOneThread.wallSeconds).toFixed(2)}x at ${(oursOneThread.maxRssKiB / peer.maxRssKiB).toFixed(2)}`,
  );
  const agreement = compare(ours.statistics, peer.statistics);
  console.log(
    `statistics: ${agreement.identical} of ${agreement.total} bit-identical${agreement.identical === agreement.total ? '' : `, largest relative difference ${agreement.worst.toExponential(2)}`}`,
  );
  return { ours, peer };
}

const TIMES = 10;

/** The 1 M files ten times over (same distribution, ten times the rows), written once. */
function tenTimesOver(small: string, big: string): void {
  if (existsSync(big)) return;
  const [header, ...body] = readFileSync(small, 'utf8').split('\n');
  const rows = body.join('\n');
  writeFileSync(`${big}.partial`, `${header}\n`);
  for (let i = 0; i < TIMES; i++) appendFileSync(`${big}.partial`, rows.endsWith('\n') ? rows : `${rows}\n`);
  renameSync(`${big}.partial`, big);
}

/**
 * 10 M × 20 streaming, profiled as the action does. Memory above a bare Node process is compared with the 1 M
 * run's (`ours`); throughput counts the rows of both files per core (two threads).
 */
function benchTenMillion(ours: Timed, peer: Timed | undefined): void {
  const bigReference = `${directory}reference-10m-v${DATA_VERSION}.csv`;
  const bigCurrent = `${directory}current-10m-v${DATA_VERSION}.csv`;
  tenTimesOver(referencePath, bigReference);
  tenTimesOver(currentPath, bigCurrent);
  const bare = timed(runnerNodeBinary(), [
    '-e',
    'console.log(JSON.stringify({seconds:0,readSeconds:0,cpuSeconds:0,maxRssKiB:process.resourceUsage().maxRSS,statistics:{}}))',
  ]);
  const streaming = timed(runnerNodeBinary(), [`${bundle}index.js`, bigReference, bigCurrent]);
  const aboveBare = (run: RunResult) => (run.maxRssKiB - bare.maxRssKiB) / 1024;
  console.log(line('ours 10 M × 20', streaming));
  const projection =
    peer === undefined
      ? ''
      : `; pandas + SciPy projected ${((peer.maxRssKiB * TIMES) / 2 ** 20).toFixed(1)} GiB (its 1 M peak × 10), past a 7 GB runner`;
  console.log(
    `10 M streaming: peak RSS ${(streaming.maxRssKiB / 1024).toFixed(0)} MiB (target ≤ 512), ${aboveBare(streaming).toFixed(0)} MiB above bare Node (${(bare.maxRssKiB / 1024).toFixed(0)} MiB) vs ${aboveBare(ours).toFixed(0)} MiB for 1 M: ${(aboveBare(streaming) / aboveBare(ours)).toFixed(2)}x (target ≤ 1.25); ` +
      `throughput ${((2 * TIMES * ROWS) / streaming.wallSeconds / 2 / 1e6).toFixed(2)} M rows/s per core (target ≥ 1; ${((2 * TIMES * ROWS) / streaming.cpuSeconds / 1e6).toFixed(2)} M rows per CPU second)${projection}`,
  );
}

/** Merging 100 shard profiles (each a sketched 1 M-row shard, as profile-only writes them). */
function benchMerge(): void {
  const shardDirectory = `${directory}shards/`;
  rmSync(shardDirectory, { recursive: true, force: true });
  execFileSync(runnerNodeBinary(), [
    `${bundle}index.js`,
    'write-shards',
    referencePath,
    shardDirectory,
    '100',
  ]);
  const merged = JSON.parse(
    execFileSync(runnerNodeBinary(), [`${bundle}index.js`, 'merge', shardDirectory], { encoding: 'utf8' }),
  ) as { seconds: number; shards: number };
  console.log(`merging ${merged.shards} shard profiles: ${merged.seconds.toFixed(2)} s (target < 1 s)`);
}

const oneMillion = runs('1m') ? benchOneMillion() : undefined;
if (runs('10m')) {
  const ours =
    oneMillion?.ours ?? timed(runnerNodeBinary(), [`${bundle}index.js`, referencePath, currentPath]);
  if (oneMillion === undefined) console.log(line('ours 1 M × 20', ours));
  benchTenMillion(ours, oneMillion?.peer);
}
if (runs('merge')) benchMerge();
