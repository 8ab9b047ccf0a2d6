import type { CanaryVerdict, EngineState } from '@recsys-actions/canary';

/** The report's headline: what to do with the canary and why, in the engine's words. */
export function headline(verdict: CanaryVerdict, canary: string, reason: string): string {
  const lead = { promote: 'Promote', rollback: 'Roll back', inconclusive: 'No verdict on' }[verdict];
  return `${lead} ${canary}: ${reason}.`;
}

/** Things a reader must not miss: checks that lacked data or could not be read, and where data came from. */
export function gateNotes(state: EngineState, recording: string | undefined): string[] {
  const notes: string[] = [];
  const of = `of ${state.intervals} intervals`;
  for (const evidence of state.perCheck) {
    if (evidence.noDataIntervals > 0)
      notes.push(
        `${evidence.name} had no data in ${evidence.noDataIntervals} ${of}: check that both versions get traffic and that the queries match their labels.`,
      );
    if (evidence.errorIntervals > 0)
      notes.push(
        `Reading ${evidence.name} failed in ${evidence.errorIntervals} ${of}${lastError(state, evidence.name)}.`,
      );
  }
  if (recording) notes.push(`Metrics were replayed from the recording ${recording}, not read live.`);
  return notes;
}

/**
 * One warning per check whose latest interval could not be read or judged, naming the check and the cause: the
 * analysis counts such intervals quietly, and a log of only "collecting" lines would hide an outage.
 */
export function intervalWarnings(state: EngineState): string[] {
  const latest = state.history.at(-1);
  if (!latest) return [];
  return Object.entries(latest.checks)
    .filter(([, point]) => point.status === 'error')
    .map(
      ([name, point]) =>
        `Interval ${state.intervals}: check ${name} could not be read or judged, so this interval is evidence of nothing (${state.consecutiveErrorIntervals} of consecutive-error-limit ${state.options.consecutiveErrorLimit} in a row): ${point.message}`,
    );
}

function lastError(state: EngineState, check: string): string {
  const point = state.history.findLast((record) => record.checks[check]?.status === 'error')?.checks[check];
  return point?.message ? ` (last: ${point.message})` : '';
}
