import type { EventContext, LedgerEvent } from '../src/index';

let clock = Date.parse('2026-03-01T09:00:00Z');

/** Provenance for events of the plain history written before the journal, each a minute after the previous one. */
export function context(overrides: Partial<EventContext> = {}): EventContext {
  clock += 60_000;
  return {
    actor: 'alice',
    runUrl: 'https://github.com/acme/recs/actions/runs/42',
    commitSha: 'a'.repeat(40),
    timestamp: new Date(clock).toISOString(),
    ...overrides,
  };
}

export const validated = (version: string): LedgerEvent => ({ type: 'validated', version, ...context() });
export const canary = (version: string, weight: number): LedgerEvent => ({
  type: 'canary',
  version,
  weight,
  ...context(),
});
export const promoted = (version: string): LedgerEvent => ({ type: 'promoted', version, ...context() });
export const superseded = (version: string): LedgerEvent => ({ type: 'superseded', version, ...context() });
export const rolledBack = (version: string, reason = 'error rate 4 % over the 1 % budget'): LedgerEvent => ({
  type: 'rolled-back',
  version,
  reason,
  ...context(),
});
