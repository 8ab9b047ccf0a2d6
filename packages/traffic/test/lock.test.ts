import { spawn, spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserFacingError } from '@recsys-actions/core';
import { describeWithService } from '@recsys-actions/testkit';
import { withLock } from '../src/index';

const directory = mkdtempSync(join(tmpdir(), 'traffic-lock-'));
let counter = 0;
const lockPath = () => join(directory, `environment-${++counter}.lock`);

function holder(pid: number, host = hostname()) {
  return JSON.stringify({ token: 'other', pid, host, acquiredAt: '2026-01-01T00:00:00.000Z' });
}

const child = fileURLToPath(new URL('./fixtures/lock-child.ts', import.meta.url));
const childArgs = (...args: string[]) => ['--import', 'tsx', child, ...args];
const spawnChild = (...args: string[]): ChildProcessWithoutNullStreams =>
  spawn(process.execPath, childArgs(...args));

async function exitCode(running: ChildProcess): Promise<number | null> {
  if (running.exitCode === null && running.signalCode === null) await once(running, 'exit');
  return running.exitCode;
}

function age(path: string, seconds: number): void {
  const then = new Date(Date.now() - seconds * 1000);
  utimesSync(path, then, then);
}

/** A lock that a run killed on this host left behind: its pid has exited. */
const deadHolderLock = (path: string) =>
  writeFileSync(path, holder(spawnSync(process.execPath, ['-e', '']).pid));
/** A lock file a run was killed in before writing its owner, long enough ago to be given up on. */
const abandonedEmptyLock = (path: string) => {
  writeFileSync(path, '');
  age(path, 10);
};

describe('withLock', () => {
  it('never lets two critical sections on one path interleave', async () => {
    const path = lockPath();
    const events: string[] = [];
    const section = (name: string) =>
      withLock(path, async () => {
        events.push(`${name} in`);
        await sleep(30);
        events.push(`${name} out`);
      });
    await Promise.all([section('a'), section('b'), section('c')]);
    for (let index = 0; index < events.length; index += 2) {
      expect(events[index + 1]).toBe(events[index]?.replace(' in', ' out'));
    }
    expect(existsSync(path)).toBe(false);
  });

  it('releases the lock when the critical section throws', async () => {
    const path = lockPath();
    await expect(withLock(path, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(path)).toBe(false);
    await expect(withLock(path, async () => 'again')).resolves.toBe('again');
  });

  it('times out with a message naming the holder while a live run holds the lock', async () => {
    const path = lockPath();
    writeFileSync(path, holder(process.pid));
    const attempt = withLock(path, async () => 'never', { timeoutMs: 150 });
    await expect(attempt).rejects.toThrow(UserFacingError);
    await expect(withLock(path, async () => 'never', { timeoutMs: 150 })).rejects.toThrow(
      `held by pid ${process.pid} on ${hostname()}`,
    );
    expect(existsSync(path)).toBe(true);
  });

  it('breaks a lock older than the stale timeout', async () => {
    const path = lockPath();
    writeFileSync(path, holder(process.pid, 'another-host'));
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(path, longAgo, longAgo);
    await expect(withLock(path, async () => 'taken', { timeoutMs: 150, staleMs: 60_000 })).resolves.toBe(
      'taken',
    );
  });

  it('breaks a fresh lock at once when its process on this host is gone', async () => {
    const path = lockPath();
    const finished = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(path, holder(finished));
    await expect(withLock(path, async () => 'taken', { timeoutMs: 150 })).resolves.toBe('taken');
  });

  it('keeps a fresh lock of another host even if the pid is unknown here', async () => {
    const path = lockPath();
    const finished = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(path, holder(finished, 'another-host'));
    await expect(withLock(path, async () => 'taken', { timeoutMs: 150 })).rejects.toThrow('Timed out');
  });

  it('names host and pid in the lock and breaks it at once when that process is killed', async () => {
    const path = lockPath();
    const holding = spawnChild('hold', path);
    const [firstOutput] = (await once(holding.stdout, 'data')) as [Buffer];
    expect(firstOutput.toString()).toBe('held\n');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: holding.pid, host: hostname() });
    holding.kill('SIGKILL');
    await exitCode(holding);
    expect(holding.signalCode).toBe('SIGKILL');
    // A stale timeout far beyond the wait proves the lock was broken for its dead pid, not for its age.
    const options = { timeoutMs: 10_000, staleMs: 600_000 };
    await expect(withLock(path, async () => 'taken', options)).resolves.toBe('taken');
  });

  it.each([
    ['an empty', ''],
    ['a garbled', '{"token":"abc'],
  ])('breaks %s lock file older than 5 s', async (_kind, text) => {
    const path = lockPath();
    writeFileSync(path, text);
    age(path, 6);
    const options = { timeoutMs: 150, staleMs: 600_000 };
    await expect(withLock(path, async () => 'taken', options)).resolves.toBe('taken');
  });

  it('waits on a fresh garbled lock file, whose holder may still be writing it', async () => {
    const path = lockPath();
    writeFileSync(path, '{"token":"abc');
    age(path, 2);
    const options = { timeoutMs: 150, staleMs: 600_000 };
    await expect(withLock(path, async () => 'never', options)).rejects.toThrow('held by another run');
    expect(readFileSync(path, 'utf8')).toBe('{"token":"abc');
  });
});

const straceService = { name: 'strace', executable: 'strace', debianPackage: 'strace' };

/**
 * Every unlink in the children takes 50 ms longer, which holds open the gap between a waiter judging a lock
 * stale and removing it: a waiter that removed whatever lies at the path after that gap would remove a lock
 * another waiter has just taken, and the overlap shows in every run instead of rarely.
 */
const slowUnlinks = ['-f', '-o', '/dev/null', '-e', 'inject=unlink,unlinkat:delay_enter=50000'];

describeWithService(
  straceService,
  'withLock with several processes waiting on a stale lock',
  (stracePath) => {
    it.each([
      ['whose holder is dead', deadHolderLock],
      ['left empty', abandonedEmptyLock],
    ])('lets waiting processes through a stale lock %s one at a time', async (_kind, leaveStaleLock) => {
      const path = lockPath();
      const shared = mkdtempSync(join(directory, 'visits-'));
      leaveStaleLock(path);
      const waiters = Array.from({ length: 4 }, () =>
        spawn(stracePath, [...slowUnlinks, process.execPath, ...childArgs('count', path, shared)]),
      );
      await Promise.all(waiters.map((waiter) => once(waiter.stdout, 'data')));
      for (const waiter of waiters) waiter.stdin.end('go\n');
      const codes = await Promise.all(waiters.map(exitCode));
      expect(codes).toEqual([0, 0, 0, 0]);
      expect(readFileSync(join(shared, 'log'), 'utf8')).toBe('in\n'.repeat(4));
      expect(existsSync(path)).toBe(false);
    });
  },
);
