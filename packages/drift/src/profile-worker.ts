import { runInWorker, type WorkerTask } from '@recsys-actions/core';
import { SortedSample } from '@recsys-actions/stats';
import { numericProfileOf, profileDataset, type ColumnProfile, type DatasetProfile } from './profile';
import type { DriftOptions } from './options';
import { QuantileSketch, type QuantileSketchState } from './sketch/quantile-sketch';

/**
 * Profiling the reference on a second thread while the main thread reads the current data halves a cold check's
 * wall time: each side is one pass over a file plus sorting its numeric columns, and neither needs the other
 * until the comparison. The script that calls {@link profileInWorker} serves {@link profileTask} itself when started
 * as a worker (core's serveWorkerTask; see actions/drift-check/src/main.ts). The profile crosses back with its
 * sorted arrays moved, not copied.
 */
export const profileTask: WorkerTask<ProfileRequest, DatasetProfile> = {
  name: 'drift-profile',
  async perform({ paths, options }) {
    const profile = cloneable(await profileDataset(paths, options));
    return { wire: profile, transfer: profileBuffers(profile) };
  },
  revive: revivedProfile,
  // The columns stream into typed arrays outside the heap; the cap took about 3 MiB off a 1 M-row check's peak.
  youngGenerationMb: 3,
};

interface ProfileRequest {
  readonly paths: string[];
  readonly options: DriftOptions;
}

function profileBuffers(profile: DatasetProfile): ArrayBuffer[] {
  return profile.columns.flatMap((column) => {
    if (column.type === 'categorical') return [column.counts.counts.buffer];
    return column.sketch === undefined ? [column.numeric.sorted.values.buffer] : [];
  }) as ArrayBuffer[];
}

/** Sketches cross as their state: a structured clone keeps the arrays but not the class. */
function cloneable(profile: DatasetProfile): DatasetProfile {
  const columns = profile.columns.map((column): ColumnProfile => {
    if (column.type === 'categorical' || column.sketch === undefined) return column;
    const { quantiles } = column.sketch;
    if (!(quantiles instanceof QuantileSketch)) return column;
    return {
      ...column,
      sketch: { ...column.sketch, quantiles: quantiles.state() as unknown as QuantileSketch },
    };
  });
  return { ...profile, columns };
}

/** {@link profileDataset} on a worker thread started from `script`, which serves {@link profileTask}. */
export function profileInWorker(
  script: string | URL,
  paths: string[],
  options: DriftOptions,
): Promise<DatasetProfile> {
  return runInWorker(script, profileTask, { paths, options });
}

/** A structured clone keeps the sorted arrays but not the SortedSample class around them. */
function revivedProfile(profile: DatasetProfile): DatasetProfile {
  const columns = profile.columns.map((column): ColumnProfile => {
    if (column.type === 'categorical') return column;
    if (column.sketch !== undefined) {
      const { quantiles } = column.sketch;
      if ('kind' in quantiles) return column;
      const state = quantiles as unknown as QuantileSketchState;
      return { ...column, sketch: { ...column.sketch, quantiles: QuantileSketch.fromState(state) } };
    }
    const { values } = column.numeric.sorted as unknown as { values: Float64Array };
    return {
      ...column,
      numeric: numericProfileOf(SortedSample.ofSorted(values, column.name), column.numeric.missing),
    };
  });
  return { ...profile, columns };
}
