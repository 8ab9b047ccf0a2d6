import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import {
  ConfigError,
  DataError,
  describeZodError,
  InputError,
  resolveWorkspacePath,
} from '@recsys-actions/core';
import { checkEnvironmentName, withLock, type LockOptions } from '@recsys-actions/traffic';
import { ledgerEventSchema, type LedgerEvent } from './events';
import type { Ledger, LedgerHistory } from './ledger';

export interface FileLedgerOptions {
  workspace: string;
  environment: string;
  /** Relative to the workspace; `{environment}` is replaced by the environment name. */
  path?: string;
  lock?: LockOptions;
}

export const DEFAULT_LEDGER_PATH = '.recsys/ledger/{environment}.jsonl';

/** Throws a {@link ConfigError} on the field `path` when the ledger file would land outside the workspace. */
function ledgerFilePath(shownAs: string, workspace: string): string {
  try {
    return resolveWorkspacePath('path', shownAs, workspace);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new ConfigError('path', error.problem, error.example);
  }
}

/**
 * One JSON event per line in a file committed with the repository. Each append is a single write followed by
 * fsync, under the environment's lock; a run killed mid-write leaves at most one unterminated last line, which
 * readers skip and the next append cuts off, each with a warning.
 */
export function createFileLedger(options: FileLedgerOptions): Ledger {
  checkEnvironmentName(options.environment);
  const shownAs = (options.path ?? DEFAULT_LEDGER_PATH).replaceAll('{environment}', options.environment);
  const path = ledgerFilePath(shownAs, options.workspace);

  return {
    description: `file ${shownAs}`,
    async history() {
      return existsSync(path)
        ? parseLedger(readFileSync(path, 'utf8'), shownAs)
        : { events: [], warnings: [] };
    },
    async record(event) {
      const line = `${JSON.stringify(ledgerEventSchema.parse(event))}\n`;
      return withLock(
        `${path}.lock`,
        async () => {
          mkdirSync(dirname(path), { recursive: true });
          const created = !existsSync(path);
          const fd = openSync(path, 'a+');
          try {
            const warnings = cutPartialLine(fd, shownAs);
            writeSync(fd, line);
            fsyncSync(fd);
            return warnings;
          } finally {
            closeSync(fd);
            // A new file is only durable once the directory entry pointing at it is.
            if (created) syncDirectory(dirname(path));
          }
        },
        options.lock,
      );
    },
  };
}

export function parseLedger(text: string, shownAs: string): LedgerHistory {
  const lines = text.split('\n');
  const unterminated = lines.pop() ?? '';
  const warnings =
    unterminated === ''
      ? []
      : [
          `${shownAs}: ignored an incomplete last line (${Buffer.byteLength(unterminated)} bytes) left by an interrupted write`,
        ];
  const events: LedgerEvent[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    events.push(parseEvent(line, shownAs, index + 1));
  });
  return { events, warnings };
}

function parseEvent(line: string, shownAs: string, lineNumber: number): LedgerEvent {
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch (error) {
    throw new DataError(shownAs, `is not valid JSON (${(error as Error).message})`, { line: lineNumber });
  }
  const parsed = ledgerEventSchema.safeParse(document);
  if (!parsed.success) {
    throw new DataError(shownAs, `is not a ledger event: ${describeZodError(parsed.error)}`, {
      line: lineNumber,
    });
  }
  return parsed.data;
}

/** Truncates an unterminated last line so the next event starts on a line of its own. */
function cutPartialLine(fd: number, shownAs: string): string[] {
  const { size } = fstatSync(fd);
  const lastByte = Buffer.alloc(1);
  if (size === 0 || (readSync(fd, lastByte, 0, 1, size - 1) === 1 && lastByte[0] === 0x0a)) return [];
  // Only a torn write gets here, so reading the whole file is the rare path.
  const content = readFileSync(fd);
  const keep = content.lastIndexOf(0x0a) + 1;
  ftruncateSync(fd, keep);
  return [
    `${shownAs}: removed an incomplete last line (${size - keep} bytes) left by an interrupted write before appending`,
  ];
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
