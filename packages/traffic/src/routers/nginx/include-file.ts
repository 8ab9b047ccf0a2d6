import { fchmodSync, fchownSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserFacingError, writeFileAtomic } from '@recsys-actions/core';

/** What a rewrite of a file keeps: its permission bits and owner. */
export interface FileAttributes {
  mode: number;
  uid: number;
  gid: number;
}

/** Linux gives up after 40 links too (MAXSYMLINKS). */
const MAX_SYMLINK_HOPS = 40;

/**
 * The file a write to `path` replaces: the end of its symlink chain, else `path` itself. Operators often link
 * the include from a config repository; renaming over the link itself would silently cut it loose.
 */
export function writeTarget(path: string): string {
  let current = path;
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let link: string;
    try {
      link = readlinkSync(current);
    } catch (error) {
      // EINVAL: a plain file; ENOENT: nothing there yet, so the write creates it; ENOTDIR: the write reports it.
      if (['EINVAL', 'ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? ''))
        return current;
      throw error;
    }
    current = resolve(dirname(current), link);
  }
  throw new UserFacingError(`${path} is a loop of symlinks; point it at the file nginx should include.`);
}

/** Mode and owner of the file `path` names (following symlinks), or undefined when there is none. */
export function attributesOf(path: string): FileAttributes | undefined {
  try {
    const stats = statSync(path);
    return { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
  } catch {
    return undefined;
  }
}

/**
 * Replaces the file `path` names atomically (temporary sibling of the symlink target, flushed, renamed over it),
 * keeping any symlink, the mode and, where the process may chown, the owner. A new file takes `fallback`'s
 * attributes when given, else the usual 0644 under the umask.
 */
export function writeKeepingAttributes(
  path: string,
  content: string | Uint8Array,
  fallback?: FileAttributes,
): void {
  const target = writeTarget(path);
  const kept = attributesOf(target) ?? fallback;
  writeFileAtomic(target, content, {
    ...(kept ? { mode: kept.mode, beforeSync: (fd: number) => keepAttributes(fd, kept) } : {}),
  });
}

/** Removes the file `path` names; a symlink stays, as it was before that file was written. */
export function removeKeepingLink(path: string): void {
  rmSync(writeTarget(path), { force: true });
}

function keepAttributes(fd: number, attributes: FileAttributes): void {
  // The mode given to open() is cut by the umask, so it is set again explicitly.
  fchmodSync(fd, attributes.mode);
  try {
    fchownSync(fd, attributes.uid, attributes.gid);
  } catch (error) {
    // Only root (or CAP_CHOWN) may give a file away; everyone else keeps the mode and owns the new file.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}
