import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  renameSync,
  rmdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomHex, sha256, UserFacingError } from '@recsys-actions/core';
import { withLock, type LockOptions, type Router } from '@recsys-actions/traffic';

/** Like /tmp: every user may add files, and only a file's owner may remove or rename it. */
const SHARED_FOLDER_MODE = 0o1777;

/**
 * Runs observe → apply → record of one step under a lock per router target, so two steps on one environment
 * (say, two rollbacks) never interleave: the second reads the history the first wrote. The router and the
 * ledger lock their own files around each write; this lock is a different file, because those locks are not
 * re-entrant.
 */
export function withStepLock<T>(
  router: Router,
  environment: string,
  critical: () => Promise<T>,
  options?: LockOptions,
): Promise<T> {
  const path = stepLockPath(router, environment);
  prepareSharedFolder(dirname(path));
  return withLock(path, critical, options);
}

/**
 * The lock lives in the host's temporary folder, keyed by the router's own lock target: every run on this host
 * that can touch that target (an nginx include shared by several runner checkouts) meets the same lock, it needs
 * no write access beside the target, and it never lands in the repository.
 */
export function stepLockPath(router: Router, environment: string): string {
  const key = sha256().update(router.lockTarget).digest('hex').slice(0, 16);
  return join(tmpdir(), 'recsys-actions-locks', `${environment}-${key}.lock`);
}

/**
 * Runners of several users share the folder, so it must be sticky and world-writable whoever comes first. A
 * folder we own with another mode (made by an older version) is fixed; one of another user that we may not
 * write to is reported with the fix.
 */
function prepareSharedFolder(folder: string): void {
  if (!existsSync(folder)) createSharedFolder(folder);
  const found = lstatSync(folder);
  if (!found.isDirectory()) {
    throw new UserFacingError(
      `The shared lock folder ${folder} is not a folder; remove it (rm ${folder}) and retry.`,
    );
  }
  if ((found.mode & 0o7777) === SHARED_FOLDER_MODE) return;
  if (found.uid === process.getuid?.()) {
    chmodSync(folder, SHARED_FOLDER_MODE);
    return;
  }
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new UserFacingError(
      `The shared lock folder ${folder} belongs to uid ${found.uid} and this user may not write to it; ` +
        `as its owner or root run: chmod 1777 ${folder}`,
    );
  }
}

/**
 * Made under a private name, given its mode (chmod, because the umask strips bits from mkdir's mode) and only
 * then renamed into place, so no other user ever finds it with a narrower mode. Losing the race to another
 * run is fine: its folder is used.
 */
function createSharedFolder(folder: string): void {
  const staging = `${folder}.${randomHex(6)}`;
  mkdirSync(staging);
  try {
    chmodSync(staging, SHARED_FOLDER_MODE);
    renameSync(staging, folder);
  } catch (error) {
    // Made meanwhile (ENOTEMPTY, EEXIST), or another user's empty folder that a sticky /tmp protects (EPERM).
    rmdirSync(staging);
    if (!['ENOTEMPTY', 'EEXIST', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
