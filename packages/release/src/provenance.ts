import { randomId, sha256 } from '@recsys-actions/core';

/** What the runner tells about the run taking a step (a subset of the runtime's RunContext). */
export interface RunProvenance {
  actor?: string;
  runUrl?: string;
  sha?: string;
  /** GITHUB_RUN_ID: the same for every attempt, so "Re-run jobs" finds the steps of the first attempt. */
  runId?: string;
  /** GITHUB_JOB and GITHUB_ACTION: which job, and which step in it. */
  job?: string;
  action?: string;
}

/** Who records a journal entry, from where, and when. */
export function recordedBy(run: RunProvenance, now: Date = new Date()) {
  return {
    actor: run.actor ?? 'unknown',
    ...(run.runUrl === undefined ? {} : { runUrl: run.runUrl }),
    timestamp: now.toISOString(),
  };
}

/**
 * The journal key of a step: its run, job and step in the job, and its inputs. A re-run of the step (any
 * attempt) has the same key; another step, or the same action with other inputs, has another. Outside a
 * workflow run there is no run to re-run, so every invocation is a step of its own.
 */
export function stepKey(run: RunProvenance, step: string, inputs: Readonly<Record<string, unknown>>): string {
  if (run.runId === undefined) return `local:${step}:${randomId()}`;
  const digest = sha256()
    .update(JSON.stringify([run.job ?? '', run.action ?? '', step, inputs]))
    .digest('hex')
    .slice(0, 16);
  return `run-${run.runId}:${step}:${digest}`;
}
