import type * as ActionsCache from '@actions/cache';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256, sha256OfFile, writeFileAtomic } from '@recsys-actions/core';

/** Bytes kept between runs under a key, e.g. a serialized reference profile. */
export interface ProfileCache {
  restore(key: string): Promise<Uint8Array | undefined>;
  save(key: string, bytes: Uint8Array): Promise<void>;
}

/** The part of `@actions/cache` this module uses, so tests can put a directory-backed store behind it. */
export interface CacheStore {
  available(): boolean | Promise<boolean>;
  /** Restores `paths` as they were saved under `key`; the key that hit, or undefined on a miss. */
  restore(paths: string[], key: string): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<unknown>;
}

// @actions/cache brings the Azure storage and Twirp clients (about a quarter of drift-check's bundle), so it is
// loaded when a cache is first asked for, not at every step's start (pnpm bench:startup).
let actionsCacheModule: Promise<typeof ActionsCache> | undefined;
const actionsCache = () => (actionsCacheModule ??= import('@actions/cache'));

export const actionsCacheStore: CacheStore = {
  available: async () => (await actionsCache()).isFeatureAvailable(),
  restore: async (paths, key) => (await actionsCache()).restoreCache(paths, key),
  save: async (paths, key) => (await actionsCache()).saveCache(paths, key),
};

/**
 * A cache entry stored as one file under RUNNER_TEMP and moved by the Actions cache. The path stays the same
 * from run to run because the cache service ties entries to the paths they were saved from.
 */
export function actionsProfileCache(name: string, warn: (message: string) => void): ProfileCache {
  const directory = join(process.env.RUNNER_TEMP || tmpdir(), 'recsys-actions', 'cache', name);
  return fileBackedCache(directory, warn, actionsCacheStore);
}

/**
 * A {@link ProfileCache} keeping its entry in `directory/entry.bin` and moving it with `store`. A cache only
 * saves time, so no cache problem ever fails the step: the first one becomes a warning, the rest are silent
 * (a restore that failed would only be followed by a save failing for the same reason).
 */
export function fileBackedCache(
  directory: string,
  warn: (message: string) => void,
  store: CacheStore,
): ProfileCache {
  const file = join(directory, 'entry.bin');
  let warned = false;
  const warnOnce = (message: string) => {
    if (!warned) warn(message);
    warned = true;
  };
  const usable = async () => {
    if (await store.available()) return true;
    warnOnce(
      'The Actions cache service is not available to this job (ACTIONS_CACHE_URL and ACTIONS_RESULTS_URL are unset), so nothing is restored from or saved to the cache.',
    );
    return false;
  };
  return {
    async restore(key) {
      if (!(await usable())) return undefined;
      try {
        rmSync(file, { force: true });
        const hit = await store.restore([file], key);
        return hit === key && existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
      } catch (error) {
        warnOnce(`Could not restore '${key}' from the Actions cache: ${messageOf(error)}`);
        return undefined;
      }
    },
    async save(key, bytes) {
      if (!(await usable())) return;
      try {
        writeFileAtomic(file, bytes);
        await store.save([file], key);
      } catch (error) {
        warnOnce(`Could not save '${key}' to the Actions cache: ${messageOf(error)}`);
      }
    },
  };
}

/**
 * `<prefix>-<SHA-256>` over the contents of `files` (in the order given) and `settings` (as JSON with sorted
 * keys). Each file is hashed on its own first, so moving bytes from the end of one file to the start of the
 * next changes the key.
 */
export async function contentCacheKey(prefix: string, files: string[], settings: unknown): Promise<string> {
  const hash = sha256();
  for (const file of files) hash.update(await sha256OfFile(file));
  hash.update(canonicalJson(settings));
  return `${prefix}-${hash.digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
