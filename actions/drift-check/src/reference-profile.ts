import {
  deserializeProfile,
  PROFILE_FORMAT_VERSION,
  profileDataset,
  serializeProfile,
  type DatasetProfile,
  type DriftOptions,
} from '@recsys-actions/drift';
import { contentCacheKey, type ProfileCache } from '@recsys-actions/runtime/cache';

/** The profile format version is part of the key, so an entry in another format is never read. */
const KEY_PREFIX = `recsys-drift-profile-v${PROFILE_FORMAT_VERSION}`;

/** Computes a profile from files: in this thread by default, or on a worker thread. */
export type Profiler = (paths: string[], options: DriftOptions) => Promise<DatasetProfile>;

/** Where the reference profile came from: the Actions cache, profiling its files, or `reference-profiles`. */
export type ProfileSource = 'cache' | 'computed' | 'profiles';

export interface ReferenceProfile {
  profile: DatasetProfile;
  source: ProfileSource;
}

/**
 * The reference profile, restored from the cache when the reference files and the options that shape a
 * profile are unchanged, else computed (and saved for the next run). Profiling is the slow part of a
 * scheduled check, and the reference rarely changes between runs.
 */
export async function referenceProfile(
  paths: string[],
  options: DriftOptions,
  cache: ProfileCache | undefined,
  warn: (message: string) => void,
  profile: Profiler = profileDataset,
): Promise<ReferenceProfile> {
  if (!cache) return { profile: await profile(paths, options), source: 'computed' };
  const key = await referenceProfileKey(paths, options);
  const cached = await cache.restore(key);
  if (cached) {
    try {
      return { profile: deserializeProfile(cached), source: 'cache' };
    } catch (error) {
      warn(`The cached reference profile could not be read, so it is computed again: ${String(error)}`);
    }
  }
  const computed = await profile(paths, options);
  await cache.save(key, serializeProfile(computed));
  return { profile: computed, source: 'computed' };
}

/** The cache key: the reference files' contents plus the options a profile depends on. */
export function referenceProfileKey(paths: string[], options: DriftOptions): Promise<string> {
  return contentCacheKey(KEY_PREFIX, paths, {
    columns: options.columns,
    columnTypes: options.columnTypes,
    onBadRows: options.onBadRows,
  });
}
