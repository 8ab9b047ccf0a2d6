// Faults injected from outside an action's process with strace: wrap a run in one of these (runAction's `wrap`).

/**
 * strace failing `calls` with EIO from the `n`-th on (1-based): a disk that goes bad mid-step. With `path`, only
 * calls naming that file count (strace 6.1 matches only the first path of rename(2), so renames are swept
 * without one). strace's own output is discarded; the action's stays on its stdout.
 */
export function eioFrom(n: number, calls: string, path?: string): string[] {
  return straceInjecting(calls, `error=EIO:when=${n}+`, path);
}

/**
 * strace holding each of `calls` for `ms` milliseconds before it runs: a slow disk, and a window in which a kill
 * lands in the middle of a write.
 */
export function delayedBy(ms: number, calls: string): string[] {
  return straceInjecting(calls, `delay_enter=${ms * 1000}`);
}

function straceInjecting(calls: string, injection: string, path?: string): string[] {
  const only = path === undefined ? [] : ['-P', path];
  return ['/usr/bin/strace', '-f', '-qq', '-o', '/dev/null', ...only, '-e', `trace=${calls}`].concat([
    '-e',
    `inject=${calls}:${injection}`,
    '--',
  ]);
}
