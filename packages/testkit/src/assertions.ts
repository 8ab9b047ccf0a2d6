import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ActionRun } from './runner';

/** A fresh GITHUB_WORKSPACE holding the given files (path → content). */
export function workspaceWith(files: Record<string, string>): string {
  const workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
  writeFiles(workspace, files);
  return workspace;
}

/** Writes files (path → content) into a folder, making the folders they need. */
export function writeFiles(folder: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
}

/** The error `promise` rejects with, checked to be a `type`; a promise that resolves fails the test. */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/**
 * The suite's failure contract: a non-zero exit, exactly one `::error::` line and no stack trace anywhere.
 * Returns the error message for further assertions.
 */
export function expectCleanFailure(
  run: Pick<ActionRun, 'exitCode' | 'errors' | 'stdout' | 'stderr'>,
): string {
  expect(run.exitCode).not.toBe(0);
  expect(run.errors).toHaveLength(1);
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return run.errors[0] ?? '';
}

/**
 * The log as GitHub's runner shows it: every value registered with `::add-mask::` is replaced by `***` in the
 * lines after it, and the `::add-mask::` commands themselves are not shown. A secret printed before its mask
 * (or never masked) stays visible here, as it would on github.com.
 */
export function visibleLog(run: Pick<ActionRun, 'stdout'>): string {
  const masks: string[] = [];
  const shown: string[] = [];
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('::add-mask::')) {
      const secret = line.slice('::add-mask::'.length);
      if (secret) masks.push(secret);
      continue;
    }
    shown.push(masks.reduce((text, secret) => text.split(secret).join('***'), line));
  }
  return shown.join('\n');
}

/** A GitHub error body that echoes the token back, as some API errors and proxies do. */
export function echoingMessage(token: string): string {
  return `Resource not accessible by integration (token ${token})`;
}

/**
 * The step saw an error that echoed `token` (see {@link echoingMessage}) and printed it, yet GitHub's runner shows
 * `***` in its place, because the step masked the token first.
 */
export function expectEchoedTokenMasked(run: Pick<ActionRun, 'stdout' | 'warnings'>, token: string): void {
  expect(run.warnings.join('\n')).toContain(echoingMessage(token));
  expect(visibleLog(run)).toContain(echoingMessage('***'));
  expect(visibleLog(run)).not.toContain(token);
}
