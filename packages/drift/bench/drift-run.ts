// Our side of the benchmark, run as its own process so its peak RSS is its own. Prints one JSON line.
// Usage: node <drift-run.ts bundled by ncc> <reference.csv> <current.csv> [one-thread]  (drift.bench.ts bundles it)
//        node <bundle> write-shards <reference.csv> <directory> <count>: <count> sketched shard profiles
//        node <bundle> merge <directory>: reads and merges every profile there, timed
// Like the action, it profiles the reference on a worker thread started from this script while it reads the current
// file, so the worker's own memory counts in the peak RSS. `one-thread` profiles both files in turn on the main
// thread instead, to show what the second core adds.
import {
  categoryShares,
  chiSquareGoodnessOfFit,
  jensenShannonDistance,
  ksTwoSample,
  numericShares,
  populationStabilityIndex,
  wassersteinDistance,
} from '@recsys-actions/stats';
import { isWorkerTaskThread, serveWorkerTask } from '@recsys-actions/core';
import {
  compareProfiles,
  profileDataset,
  profileInWorker,
  profileTask,
  readProfileFiles,
  serializeProfile,
  type CategoricalColumnProfile,
  type DatasetProfile,
} from '../src/index';
import { sketchOf } from '../src/profile';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { alignCounts } from '../src/sketch/category-sketch';

async function profileBoth(
  referencePath: string,
  currentPath: string,
  oneThread: boolean,
): Promise<[DatasetProfile, DatasetProfile]> {
  if (oneThread) return [await profileDataset([referencePath], {}), await profileDataset([currentPath], {})];
  return Promise.all([
    profileInWorker(new URL(import.meta.url), [referencePath], {}),
    profileDataset([currentPath], {}),
  ]);
}

/** The statistics the peer computes, on the same profiles. */
function peerStatistics(a: DatasetProfile, b: DatasetProfile): Record<string, number[]> {
  const statistics: Record<string, number[]> = {};
  for (const [i, column] of a.columns.entries()) {
    const other = b.columns[i];
    if (
      column.type === 'numeric' &&
      column.numeric !== undefined &&
      other?.type === 'numeric' &&
      other.numeric !== undefined
    ) {
      const ks = ksTwoSample(column.numeric.sorted, other.numeric.sorted);
      const shares = numericShares(column.numeric.sorted, other.numeric.sorted);
      statistics[column.name] = [
        ks.statistic,
        ks.pValue,
        wassersteinDistance(column.numeric.sorted, other.numeric.sorted),
        populationStabilityIndex(shares.reference, shares.current),
      ];
    } else if (column.type === 'categorical' && other?.type === 'categorical') {
      const names = [...new Set([...column.categories, ...other.categories])].sort();
      const x = alignCounts(column, names).counts;
      const y = alignCounts(other as CategoricalColumnProfile, names).counts;
      const chi = chiSquareGoodnessOfFit(x, y);
      const shares = categoryShares(x, y, { fillZeroes: false });
      statistics[column.name] = [
        chi.statistic,
        chi.pValue,
        jensenShannonDistance(shares.reference, shares.current),
      ];
    }
  }
  return statistics;
}

/** JSON has no infinity (Evidently's chi-square of a category the reference never saw): write it as text. */
function nonFiniteAsText(_: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

async function run(referencePath: string, currentPath: string, mode?: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const [reference, current] = await profileBoth(referencePath, currentPath, mode === 'one-thread');
  const read = performance.now();
  const result = compareProfiles(reference, current, {});
  const statistics = peerStatistics(reference, current);
  const finished = performance.now();
  const { user, system } = process.cpuUsage(cpu);
  console.log(
    JSON.stringify(
      {
        seconds: (finished - started) / 1000,
        // Both threads' CPU time, which a shared machine's other work stretches less than the wall clock.
        cpuSeconds: (user + system) / 1e6,
        readSeconds: (read - started) / 1000,
        maxRssKiB: process.resourceUsage().maxRSS,
        driftedColumns: result.driftedColumns.length,
        statistics,
      },
      nonFiniteAsText,
    ),
  );
}

/**
 * Shard profiles as `profile-only` writes them for shards above 1 M rows: the reference's columns, sketched (each
 * shard the same sketch: merging cost does not depend on the values).
 */
async function writeShards(referencePath: string, directory: string, count: number): Promise<void> {
  const profile = await profileDataset([referencePath], {});
  const sketched: DatasetProfile = {
    ...profile,
    columns: profile.columns.map((column) =>
      column.type === 'numeric' ? { name: column.name, type: 'numeric', sketch: sketchOf(column) } : column,
    ),
  };
  const bytes = serializeProfile(sketched);
  mkdirSync(directory, { recursive: true });
  for (let shard = 0; shard < count; shard++) writeFileSync(`${directory}/shard-${shard}.json`, bytes);
  console.log(JSON.stringify({ bytesPerShard: bytes.length }));
}

async function merge(directory: string): Promise<void> {
  const files = readdirSync(directory).map((name) => `${directory}/${name}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const merged = await readProfileFiles(files);
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (user + system) / 1e6,
      shards: files.length,
      rows: merged.rows,
      maxRssKiB: process.resourceUsage().maxRSS,
    }),
  );
}

const [mode, ...rest] = process.argv.slice(2);
if (isWorkerTaskThread()) await serveWorkerTask([profileTask]);
else if (mode === 'write-shards') await writeShards(rest[0] as string, rest[1] as string, Number(rest[2]));
else if (mode === 'merge') await merge(rest[0] as string);
else await run(...(process.argv.slice(2) as [string, string, string?]));
