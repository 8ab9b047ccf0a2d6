import type { Journal, JournalStep, StepIntent, StepOutcome } from './journal';

/** The journal steps of a stretch of time, oldest first, for reports (see Ledger.history). */
export interface LedgerHistory {
  /** False when the ledger holds nothing for the environment at all (no file, no deployment). */
  exists: boolean;
  /** Steps that started at or after the time asked for, oldest first, each with its outcome when finished. */
  steps: JournalStep[];
  /** For the caller to show; ledgers never print. */
  warnings: string[];
}

/**
 * The journal of one environment's release steps: each step records its intent before it touches traffic and
 * its outcome after. Backends read back at most a bounded window of recent steps, so a step's cost does not grow
 * with history.
 */
export interface Ledger {
  /** One line naming the backend and where it keeps the journal. */
  readonly description: string;
  /** False for ledger `none`: reads are always empty, so a version it has not seen says nothing. */
  readonly keepsJournal: boolean;
  /** Files inside the workspace this ledger writes, relative to it: what a GitOps push commits. */
  readonly workspaceFiles?: readonly string[];
  /** The state and the recent steps, with the newest step recorded under `key`. */
  read(key: string): Promise<Journal>;
  /** Records an intent; resolves with the step as it will be read back. */
  begin(intent: StepIntent): Promise<JournalStep>;
  /** Records the outcome of a step; resolves with warnings about anything repaired on the way. */
  finish(step: JournalStep, outcome: StepOutcome): Promise<string[]>;
  /**
   * Every step that started at or after `since`, oldest first: what reports are made of. Unlike `read`, its cost
   * grows with the stretch asked for (never with one request per step).
   */
  history(since: Date): Promise<LedgerHistory>;
}
