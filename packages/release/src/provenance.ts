import type { EventContext, LedgerEvent } from '@recsys-actions/ledger';
import type { Split } from '@recsys-actions/traffic';

/** What the runner tells about the run recording an event (a subset of the runtime's RunContext). */
export interface RunProvenance {
  actor?: string;
  runUrl?: string;
  sha?: string;
}

/** The provenance every event of one step carries, with the split in force after it. */
export function eventContext(run: RunProvenance, split: Split, now: Date = new Date()): EventContext {
  return {
    actor: run.actor ?? 'unknown',
    ...(run.runUrl === undefined ? {} : { runUrl: run.runUrl }),
    ...(run.sha === undefined ? {} : { commitSha: run.sha }),
    timestamp: now.toISOString(),
    split,
  };
}

/** The events a step recorded, as its report lists them: type and version, without the provenance. */
export function eventSummaries(events: readonly LedgerEvent[]): { type: string; version: string }[] {
  return events.map((event) => ({ type: event.type, version: event.version }));
}
