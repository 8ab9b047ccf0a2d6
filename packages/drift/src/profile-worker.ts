import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { UserFacingError } from '@recsys-actions/core';
import { SortedSample } from '@recsys-actions/stats';
import { numericProfileOf, profileDataset, type ColumnProfile, type DatasetProfile } from './profile';
import type { DriftOptions } from './options';
import { QuantileSketch, type QuantileSketchState } from './sketch/quantile-sketch';

/**
 * Profiling the reference on a second thread while the main thread reads the current data halves a cold check's
 * wall time: each side is one pass over a file plus sorting its numeric columns, and neither needs the other
 * until the comparison. A worker runs a script file, so the script that calls {@link profileInWorker} serves
 * the request itself when {@link isProfileWorker} says it was started as one (see actions/drift-check/src/main.ts).
 */
const ROLE = 'recsys-drift-profile';

interface ProfileRequest {
  readonly role: typeof ROLE;
  readonly paths: string[];
  readonly options: DriftOptions;
}

/** What crosses the thread boundary: errors as their name and message, since classes do not survive a clone. */
type ProfileReply =
  | { readonly ok: true; readonly profile: DatasetProfile }
  | { readonly ok: false; readonly name: string; readonly message: string; readonly stack?: string };

/** True in a thread started by {@link profileInWorker}: the script must call {@link serveProfileRequest}. */
export function isProfileWorker(): boolean {
  return !isMainThread && (workerData as Partial<ProfileRequest> | null)?.role === ROLE;
}

/** The worker's side: profiles the files it was given and posts the profile back, its arrays moved, not copied. */
export async function serveProfileRequest(): Promise<void> {
  const { paths, options } = workerData as ProfileRequest;
  let reply: ProfileReply;
  try {
    reply = { ok: true, profile: cloneable(await profileDataset(paths, options)) };
  } catch (error) {
    const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
    reply = { ok: false, name, message, ...(stack === undefined ? {} : { stack }) };
  }
  parentPort?.postMessage(reply, reply.ok ? profileBuffers(reply.profile) : []);
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

/**
 * {@link profileDataset} on a worker thread started from `script`. The worker keeps the process alive until it
 * replies (unref'd, the process could end while the main thread awaits it), so when the caller fails first the
 * exit waits for the profile, no longer than the sequential check would have taken.
 */
export function profileInWorker(
  script: string | URL,
  paths: string[],
  options: DriftOptions,
): Promise<DatasetProfile> {
  const request: ProfileRequest = { role: ROLE, paths, options };
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: request });
    worker.once('message', (reply: ProfileReply) => {
      if (reply.ok) resolve(revivedProfile(reply.profile));
      else reject(revivedError(reply));
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`The reference profiling thread exited (code ${code}) without a profile.`)),
    );
  });
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

/** The names of the UserFacingError classes a profile can throw (a worker's reply carries only the name). */
const USER_FACING_ERRORS = [
  'UserFacingError',
  'InputError',
  'DataError',
  'ConfigError',
  'NoMatchingFileError',
];

/** User-facing errors keep their one-line message; anything else stays a bug, with the worker's stack. */
function revivedError(reply: Extract<ProfileReply, { ok: false }>): Error {
  const error = USER_FACING_ERRORS.includes(reply.name)
    ? new UserFacingError(reply.message)
    : new Error(reply.message);
  error.name = reply.name;
  if (reply.stack !== undefined) error.stack = reply.stack;
  return error;
}
