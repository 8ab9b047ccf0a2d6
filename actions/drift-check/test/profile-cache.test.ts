import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROFILE_FORMAT_VERSION, serializeProfile } from '@recsys-actions/drift';
import {
  contentCacheKey,
  fileBackedCache,
  type CacheStore,
  type ProfileCache,
} from '@recsys-actions/runtime/cache';
import { referenceProfile, referenceProfileKey } from '../src/reference-profile';
import { featuresCsv } from './data';

const scratch = () => mkdtempSync(join(tmpdir(), 'drift-cache-'));

/**
 * Stands in for the Actions cache service: entries are copies of the saved paths in a directory, restored to
 * the same paths, as @actions/cache does with its archives.
 */
function directoryStore(root: string): CacheStore & { keys(): string[] } {
  const saved = new Map<string, string>();
  return {
    available: () => true,
    async restore(paths, key) {
      const entry = saved.get(key);
      if (!entry) return undefined;
      paths.forEach((path, index) => {
        mkdirSync(dirname(path), { recursive: true });
        copyFileSync(join(entry, String(index)), path);
      });
      return key;
    },
    async save(paths, key) {
      const entry = join(root, String(saved.size));
      mkdirSync(entry);
      paths.forEach((path, index) => copyFileSync(path, join(entry, String(index))));
      saved.set(key, entry);
    },
    keys: () => [...saved.keys()],
  };
}

function filesWith(contents: string[]): string[] {
  const dir = scratch();
  return contents.map((content, index) => {
    const path = join(dir, `part-${index}.csv`);
    writeFileSync(path, content);
    return path;
  });
}

describe('referenceProfileKey', () => {
  it('carries the profile format version, so an entry in another format is never read', async () => {
    const key = await referenceProfileKey(filesWith(['a,b\n1,2\n']), {});
    expect(key).toMatch(new RegExp(`^recsys-drift-profile-v${PROFILE_FORMAT_VERSION}-[0-9a-f]{64}$`));
    expect(PROFILE_FORMAT_VERSION).toBe(2);
  });
});

describe('contentCacheKey', () => {
  it('is the prefix and a SHA-256 that follows contents and settings, not file names or key order', async () => {
    const key = await contentCacheKey('recsys-drift-profile-v1', filesWith(['a,b\n1,2\n']), {
      columns: ['a'],
    });
    expect(key).toMatch(/^recsys-drift-profile-v1-[0-9a-f]{64}$/);
    expect(
      await contentCacheKey('recsys-drift-profile-v1', filesWith(['a,b\n1,2\n']), { columns: ['a'] }),
    ).toBe(key);
    expect(
      await contentCacheKey('recsys-drift-profile-v1', filesWith(['a,b\n1,3\n']), { columns: ['a'] }),
    ).not.toBe(key);
    expect(
      await contentCacheKey('recsys-drift-profile-v1', filesWith(['a,b\n1,2\n']), { columns: ['b'] }),
    ).not.toBe(key);
  });

  it('ignores the order of settings keys but not the split of bytes between files', async () => {
    const files = filesWith(['x']);
    expect(await contentCacheKey('p', files, { a: 1, b: { c: 2, d: 3 } })).toBe(
      await contentCacheKey('p', files, { b: { d: 3, c: 2 }, a: 1 }),
    );
    expect(await contentCacheKey('p', filesWith(['ab', 'c']), {})).not.toBe(
      await contentCacheKey('p', filesWith(['a', 'bc']), {}),
    );
  });
});

describe('fileBackedCache', () => {
  it('restores on a later run what an earlier run saved, and misses other keys', async () => {
    const store = directoryStore(scratch());
    const directory = scratch();
    const warnings: string[] = [];
    const bytes = new Uint8Array([1, 2, 3, 250]);

    await fileBackedCache(directory, (m) => warnings.push(m), store).save('k1', bytes);
    rmSync(directory, { recursive: true });

    const nextRun = fileBackedCache(directory, (m) => warnings.push(m), store);
    expect(await nextRun.restore('k1')).toEqual(bytes);
    expect(await nextRun.restore('k2')).toBeUndefined();
    expect(existsSync(join(directory, 'entry.bin'))).toBe(false);
    expect(store.keys()).toEqual(['k1']);
    expect(warnings).toEqual([]);
  });

  it('warns once and carries on when the cache service is not available', async () => {
    const warnings: string[] = [];
    const unavailable: CacheStore = {
      available: () => false,
      restore: () => Promise.reject(new Error('must not be called')),
      save: () => Promise.reject(new Error('must not be called')),
    };
    const cache = fileBackedCache(scratch(), (m) => warnings.push(m), unavailable);
    expect(await cache.restore('k')).toBeUndefined();
    await cache.save('k', new Uint8Array([1]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Actions cache service is not available/);
  });

  it('turns a failing cache service into one warning, never an error', async () => {
    const warnings: string[] = [];
    const failing: CacheStore = {
      available: () => true,
      restore: () => Promise.reject(new Error('socket hang up')),
      save: () => Promise.reject(new Error('socket hang up')),
    };
    const cache = fileBackedCache(scratch(), (m) => warnings.push(m), failing);
    expect(await cache.restore('k')).toBeUndefined();
    await expect(cache.save('k', new Uint8Array([1]))).resolves.toBeUndefined();
    expect(warnings).toEqual(["Could not restore 'k' from the Actions cache: socket hang up"]);
  });
});

describe('referenceProfile through the cache', () => {
  const store = directoryStore(scratch());
  const runner = scratch();
  const warnings: string[] = [];
  const cache = () => fileBackedCache(runner, (m) => warnings.push(m), store);
  const [reference] = filesWith([featuresCsv(1, false)]) as [string];

  it('computes the profile once, then restores it while the reference and profile options stay the same', async () => {
    const first = await referenceProfile([reference], { columns: ['price', 'age'] }, cache(), (m) =>
      warnings.push(m),
    );
    expect(first.source).toBe('computed');
    const second = await referenceProfile(
      [reference],
      { columns: ['price', 'age'], threshold: undefined, driftShare: 0.3 },
      cache(),
      (m) => warnings.push(m),
    );
    expect(second.source).toBe('cache');
    expect(serializeProfile(second.profile)).toEqual(serializeProfile(first.profile));
    expect(second.profile.rows).toBe(400);

    const otherColumns = await referenceProfile([reference], { columns: ['price'] }, cache(), (m) =>
      warnings.push(m),
    );
    expect(otherColumns.source).toBe('computed');
    const [otherData] = filesWith([featuresCsv(9, false)]) as [string];
    expect(
      (await referenceProfile([otherData], { columns: ['price', 'age'] }, cache(), (m) => warnings.push(m)))
        .source,
    ).toBe('computed');
    expect(warnings).toEqual([]);
  });

  it('computes the profile again when the cached bytes cannot be read', async () => {
    const corrupt: ProfileCache = {
      restore: async () => new Uint8Array([1, 2, 3]),
      save: async () => undefined,
    };
    const seen: string[] = [];
    const result = await referenceProfile([reference], {}, corrupt, (m) => seen.push(m));
    expect(result.source).toBe('computed');
    expect(seen).toEqual([expect.stringMatching(/^The cached reference profile could not be read/)]);
  });
});
