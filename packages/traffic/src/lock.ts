import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomHex, UserFacingError } from '@recsys-actions/core';

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  timeoutMs?: number;
  /** A lock older than this is assumed to belong to a crashed run and is broken. */
  staleMs?: number;
  /** How often to look again while waiting. */
  pollMs?: number;
}

interface LockOwner {
  token: string;
  pid: number;
  host: string;
  acquiredAt: string;
}

/** What a waiter saw at the lock path: who holds it (or that the file is empty or garbled), since when. */
interface LockSighting {
  holder: LockOwner | 'unwritten';
  inode: number;
  ageMs: number;
}

type Settings = typeof DEFAULTS;

const DEFAULTS = { timeoutMs: 30_000, staleMs: 120_000, pollMs: 50 };

/**
 * A holder writes its owner line right after creating the file, so a file still empty or garbled after this
 * long was left by a run killed in between; waiting the full `staleMs` for it would only delay the next
 * deployment.
 */
const UNWRITTEN_GRACE_MS = 5_000;

/**
 * Runs `critical` while holding an exclusive lock file at `path`, so two deployments touching the same
 * environment never interleave. The lock is created with O_EXCL (atomic on local file systems) and names its
 * holder's host and pid. A lock whose holder on this host is gone is broken at once, an empty or garbled one
 * after 5 s, any other once it is older than `staleMs`.
 * Not re-entrant: taking the same path twice in one run waits for itself and times out.
 */
export async function withLock<T>(
  path: string,
  critical: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const settings = { ...DEFAULTS, ...options };
  const owner: LockOwner = {
    token: randomHex(8),
    pid: process.pid,
    host: hostname(),
    acquiredAt: new Date().toISOString(),
  };
  await acquire(path, owner, settings);
  try {
    return await critical();
  } finally {
    release(path, owner.token);
  }
}

async function acquire(path: string, owner: LockOwner, settings: Settings): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + settings.timeoutMs;
  for (;;) {
    if (tryCreate(path, owner)) return;
    const seen = inspect(path);
    if (
      seen !== 'gone' &&
      isStale(seen, settings.staleMs) &&
      breakStaleLock(path, seen, owner, settings.staleMs)
    ) {
      continue;
    }
    if (Date.now() >= deadline) {
      const who =
        seen === 'gone' || seen.holder === 'unwritten'
          ? 'another run'
          : `pid ${seen.holder.pid} on ${seen.holder.host} since ${seen.holder.acquiredAt}`;
      throw new UserFacingError(
        `Timed out after ${settings.timeoutMs} ms waiting for the lock ${path}, held by ${who}; ` +
          'another deployment to this environment is running. Retry when it has finished.',
      );
    }
    await sleep(settings.pollMs);
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Reads size, age and owner through one descriptor, so they all describe the same file. */
function inspect(path: string): LockSighting | 'gone' {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    return {
      holder: parseOwner(readFileSync(fd, 'utf8')),
      inode: stat.ino,
      ageMs: Date.now() - stat.mtimeMs,
    };
  } finally {
    closeSync(fd);
  }
}

/** 'unwritten' covers a holder that has created the file but not (or not fully) written its owner line. */
function parseOwner(text: string): LockOwner | 'unwritten' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'unwritten';
  }
  const owner = parsed as Partial<LockOwner> | null;
  const complete =
    typeof owner?.token === 'string' && typeof owner.pid === 'number' && typeof owner.host === 'string';
  return complete ? (owner as LockOwner) : 'unwritten';
}

function isStale(seen: LockSighting, staleMs: number): boolean {
  const { holder, ageMs } = seen;
  if (holder === 'unwritten') return ageMs > Math.min(UNWRITTEN_GRACE_MS, staleMs);
  if (holder.host === hostname() && !processAlive(holder.pid)) return true;
  return ageMs > staleMs;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sameLock(a: LockSighting, b: LockSighting): boolean {
  if (a.holder === 'unwritten' || b.holder === 'unwritten') {
    return a.holder === 'unwritten' && b.holder === 'unwritten' && a.inode === b.inode;
  }
  return a.holder.token === b.holder.token;
}

/**
 * WHY a guard file: two waiters that both judged the same lock stale must not both remove "it": the slower
 * one would remove the fresh lock the faster one has just created, and both would enter. Plain files offer no
 * compare-and-delete, so removal is serialised instead: only the holder of `<path>.break` (taken with O_EXCL)
 * removes a stale lock, and only after looking again while holding the guard, so it removes the very lock it
 * judged stale (same token, or same inode for an unwritten one) and only if it is still stale. A waiter that
 * finds the guard taken waits a poll interval and looks again. The guard is held for a few system calls; one
 * left by a breaker killed in between is itself broken by the same rules (dead pid at once, otherwise after 5
 * s). Returns false when another waiter holds the guard.
 */
function breakStaleLock(path: string, judged: LockSighting, breaker: LockOwner, staleMs: number): boolean {
  const guard = `${path}.break`;
  if (!tryCreate(guard, breaker)) {
    const guardSeen = inspect(guard);
    if (guardSeen === 'gone' || !isStale(guardSeen, UNWRITTEN_GRACE_MS)) return false;
    removeStale(guard, guardSeen);
    return true;
  }
  try {
    const now = inspect(path);
    if (now !== 'gone' && sameLock(judged, now) && isStale(now, staleMs)) removeStale(path, now);
  } finally {
    rmSync(guard, { force: true });
  }
  return true;
}

/** In a sticky shared folder only a file's owner (or root) may remove it; say so instead of a bare EPERM. */
function removeStale(path: string, seen: LockSighting): void {
  try {
    rmSync(path, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EACCES') throw error;
    const who =
      seen.holder === 'unwritten' ? 'a run that was killed' : `pid ${seen.holder.pid} on ${seen.holder.host}`;
    throw new UserFacingError(
      `The stale lock ${path}, left by ${who}, belongs to another user and this user may not remove it; ` +
        `remove it as its owner or root (rm ${path}) and retry.`,
    );
  }
}

function release(path: string, token: string): void {
  const current = inspect(path);
  if (current !== 'gone' && current.holder !== 'unwritten' && current.holder.token === token)
    rmSync(path, { force: true });
}
