// Our side of the benchmark, run as its own process so its peak RSS is its own. Prints one JSON line.
// Usage: node <drift-run.ts bundled by ncc> <reference.csv> <current.csv> [one-thread]  (drift.bench.ts bundles it)
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
import {
  compareProfiles,
  isProfileWorker,
  profileDataset,
  profileInWorker,
  serveProfileRequest,
  type CategoricalColumnProfile,
  type DatasetProfile,
} from '../src/index';
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
  const [reference, current] = await profileBoth(referencePath, currentPath, mode === 'one-thread');
  const read = performance.now();
  const result = compareProfiles(reference, current, {});
  const statistics = peerStatistics(reference, current);
  const finished = performance.now();
  console.log(
    JSON.stringify(
      {
        seconds: (finished - started) / 1000,
        readSeconds: (read - started) / 1000,
        maxRssKiB: process.resourceUsage().maxRSS,
        driftedColumns: result.driftedColumns.length,
        statistics,
      },
      nonFiniteAsText,
    ),
  );
}

if (isProfileWorker()) await serveProfileRequest();
else await run(...(process.argv.slice(2) as [string, string, string?]));
