import { UserFacingError } from '@recsys-actions/core';
import { SplitConflictError, type ApplyResult } from './router';
import { describeSplit, sameSplit, type Split } from './split';

/**
 * Compare-and-set for a router that reads and writes under its own lock or a platform that cannot refuse a stale
 * write: `observed` must be `expected`, else a conflict and nothing is written; when `split` already serves,
 * nothing is written either.
 */
export async function applyOverObserved(
  description: string,
  observed: Split | undefined,
  split: Split,
  expected: Split | undefined,
  write: () => Promise<unknown>,
): Promise<ApplyResult> {
  refuseUnexpected(description, observed, expected);
  if (sameSplit(observed, split)) return { previous: observed, changed: false };
  await write();
  return { previous: observed, changed: true };
}

/** A conflict when what serves is not the split the caller read and means to replace. */
export function refuseUnexpected(
  description: string,
  observed: Split | undefined,
  expected: Split | undefined,
): void {
  if (!sameSplit(observed, expected)) throw new SplitConflictError(description, expected, observed);
}

/** How often a write refused as stale (a 409, a RevisionId mismatch) is re-read and tried again. */
const CONFLICT_ATTEMPTS = 5;

/** One read of a platform that guards its writes with a version: what serves, and how to write against it. */
export interface GuardedRead {
  observed: Split | undefined;
  /**
   * Writes the new split on the condition that nothing changed since this read; resolves false when the platform
   * refused it as stale (the precondition failed), so the caller re-reads.
   */
  write(): Promise<boolean>;
}

/**
 * Applies `split` where `expected` serves, through writes the platform refuses when the object moved since it
 * was read. A refusal is re-read and decided again: still `expected` (only something else moved, e.g. a status
 * or a description) is written again; `split` itself is the answer of an earlier try that landed; anything else
 * is a conflict, and nothing is written.
 */
export async function applyWithPrecondition(
  description: string,
  read: () => Promise<GuardedRead>,
  split: Split,
  expected: Split | undefined,
): Promise<ApplyResult> {
  for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt += 1) {
    const { observed, write } = await read();
    if (!sameSplit(observed, expected)) {
      // A retried write whose first try landed (its answer lost to a 5xx) finds its own split in force.
      if (attempt > 1 && sameSplit(observed, split)) return { previous: expected, changed: true };
      throw new SplitConflictError(description, expected, observed);
    }
    if (sameSplit(observed, split)) return { previous: observed, changed: false };
    if (await write()) return { previous: observed, changed: true };
  }
  throw new UserFacingError(
    `${description} kept changing while this step tried to set ${describeSplit(split)} ` +
      `(${CONFLICT_ATTEMPTS} conflicts in a row); something else writes it. Re-run the step.`,
  );
}
