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
  lazily,
  resolveWorkspaceOutput,
} from '@recsys-actions/core';
import { checkEnvironmentName } from '@recsys-actions/traffic/environment';
import { withLock, type LockOptions } from '@recsys-actions/traffic/lock';
import { z } from 'zod';
import { isWellFormedEntry } from './entry-check';
import { ledgerEventSchema, type LedgerEvent } from './events';
import {
  journalOf,
  stepIntentSchema,
  stepOutcomeSchema,
  type JournalStep,
  type StepOutcome,
} from './journal';
import type { Ledger } from './ledger';
import { stateFromEvents } from './state';

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
    return resolveWorkspaceOutput('path', shownAs, workspace, '.recsys/ledger/production.jsonl');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new ConfigError('path', error.problem, error.example);
  }
}

/** A line of the file: a journal entry, or an event of the plain history written before the journal. */
export const ledgerLineSchema = lazily(() =>
  z.discriminatedUnion('type', [stepIntentSchema(), stepOutcomeSchema(), ledgerEventSchema()]),
);
type Line = z.infer<ReturnType<typeof ledgerLineSchema>>;

/** What a ledger file holds, read back: its steps in order, the older plain history, and what was skipped. */
export interface LedgerFileContent {
  steps: JournalStep[];
  events: LedgerEvent[];
  warnings: string[];
}

/**
 * One JSON entry per line in a file committed with the repository: an `intent` before a step touches traffic, an
 * `outcome` after. Each append is a single write followed by fsync, under the file's lock; a run killed mid-write
 * leaves at most one unterminated last line, which readers skip and the next append cuts off, each with a
 * warning. Lines of the plain history written before the journal are read as that history.
 */
export function createFileLedger(options: FileLedgerOptions): Ledger {
  checkEnvironmentName(options.environment);
  const shownAs = (options.path ?? DEFAULT_LEDGER_PATH).replaceAll('{environment}', options.environment);
  const path = ledgerFilePath(shownAs, options.workspace);
  const append = (entry: Line) => appendLine(path, shownAs, `${JSON.stringify(entry)}\n`, options.lock);

  return {
    description: `file ${shownAs}`,
    keepsJournal: true,
    workspaceFiles: [shownAs],
    async read(key) {
      const content = readLedgerFile(path, shownAs);
      return journalOf(content.steps, key, stateFromEvents(content.events), content.warnings);
    },
    async history(since) {
      if (!existsSync(path)) return { exists: false, steps: [], warnings: [] };
      const { steps, warnings } = readLedgerFile(path, shownAs);
      const from = since.getTime();
      return { exists: true, steps: steps.filter((step) => startOf(step) >= from), warnings };
    },
    async begin(input) {
      const intent = stepIntentSchema().parse(input);
      await append(intent);
      return { ref: `${shownAs} intent ${intent.key}`, intent };
    },
    async finish(_step, outcome: StepOutcome) {
      return append(stepOutcomeSchema().parse(outcome));
    },
  };
}

function readLedgerFile(path: string, shownAs: string): LedgerFileContent {
  return existsSync(path)
    ? parseLedger(readFileSync(path, 'utf8'), shownAs)
    : { steps: [], events: [], warnings: [] };
}

function startOf(step: JournalStep): number {
  return Date.parse(step.intent.timestamp);
}

function appendLine(path: string, shownAs: string, line: string, lock?: LockOptions): Promise<string[]> {
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
    lock,
  );
}

export function parseLedger(text: string, shownAs: string): LedgerFileContent {
  const lines = text.split('\n');
  const unterminated = lines.pop() ?? '';
  const content: LedgerFileContent = {
    steps: [],
    events: [],
    warnings:
      unterminated === ''
        ? []
        : [
            `${shownAs}: ignored an incomplete last line (${Buffer.byteLength(unterminated)} bytes) left by an interrupted write`,
          ],
  };
  lines.forEach((line, index) => {
    if (line.trim() !== '') addLine(content, parseLine(line, shownAs, index + 1), `${shownAs}:${index + 1}`);
  });
  return content;
}

/**
 * An outcome completes the newest unfinished intent with its key. A second outcome for the same step (a step and
 * a reconciling one racing) adds nothing, so it is dropped.
 */
function addLine(content: LedgerFileContent, line: Line, ref: string): void {
  if (line.type === 'intent') content.steps.push({ ref, intent: line });
  else if (line.type === 'outcome') {
    const index = content.steps.findLastIndex(
      (step) => step.intent.key === line.key && step.outcome === undefined,
    );
    const step = content.steps[index];
    if (step) content.steps[index] = { ...step, outcome: line };
  } else content.events.push(line);
}

function parseLine(line: string, shownAs: string, lineNumber: number): Line {
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch (error) {
    throw new DataError(shownAs, `is not valid JSON (${(error as Error).message})`, { line: lineNumber });
  }
  // The common, valid entry skips zod; zod decides the rest and words their errors.
  if (isWellFormedEntry(document)) return document;
  const parsed = ledgerLineSchema().safeParse(document);
  if (!parsed.success) {
    throw new DataError(shownAs, `is not a journal entry: ${describeZodError(parsed.error)}`, {
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
