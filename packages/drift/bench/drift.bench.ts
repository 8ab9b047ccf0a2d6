// Drift check on 1 M vs 1 M rows × 20 columns of CSV, against pandas + SciPy in the same run.
// Run from the repository root: pnpm bench:drift  (data is cached in .bench/drift)
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { repoRoot, runnerNodeBinary } from '@recsys-actions/testkit';
import { writeDataset } from './generate-data';

const ROWS = 1_000_000;
const directory = fileURLToPath(new URL('../../../.bench/drift/', import.meta.url));
const referencePath = `${directory}reference.csv`;
const currentPath = `${directory}current.csv`;

interface RunResult {
  seconds: number;
  readSeconds: number;
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
const peerScript = fileURLToPath(new URL('./pandas-peer.py', import.meta.url));
const ours = timed(runnerNodeBinary(), [`${bundle}index.js`, referencePath, currentPath]);
const oursOneThread = timed(runnerNodeBinary(), [
  `${bundle}index.js`,
  referencePath,
  currentPath,
  'one-thread',
]);
const peer = timed('/usr/bin/python3', [peerScript, referencePath, currentPath]);

const line = (name: string, run: RunResult & { wallSeconds: number }) =>
  `${name.padEnd(16)} wall ${run.wallSeconds.toFixed(2).padStart(6)} s  (read ${run.readSeconds.toFixed(2)} s, total in-process ${run.seconds.toFixed(2)} s)  peak RSS ${(run.maxRssKiB / 1024).toFixed(0).padStart(5)} MiB`;
console.log(line('ours (Node 24)', ours));
console.log(line('  one thread', oursOneThread));
console.log(line('pandas + SciPy', peer));
console.log(
  `speed-up ${(peer.wallSeconds / ours.wallSeconds).toFixed(2)}x wall (target ≥ 5x), memory ${(ours.maxRssKiB / peer.maxRssKiB).toFixed(2)} of the peer's (target ≤ 0.5); on one thread ${(peer.wallSeconds / oursOneThread.wallSeconds).toFixed(2)}x at ${(oursOneThread.maxRssKiB / peer.maxRssKiB).toFixed(2)}`,
);
const agreement = compare(ours.statistics, peer.statistics);
console.log(
  `statistics: ${agreement.identical} of ${agreement.total} bit-identical${agreement.identical === agreement.total ? '' : `, largest relative difference ${agreement.worst.toExponential(2)}`}`,
);
