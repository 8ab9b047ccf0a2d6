import type { Conclusion, WorkflowResult } from './run-context';

/** What `--json` writes: the run's conclusion and outputs, and each job's. */
export interface RunSummary {
  conclusion: WorkflowResult['conclusion'];
  outputs: Record<string, string>;
  jobs: Record<string, { conclusion: Conclusion; outputs: Record<string, string> }>;
}

export function summarize(result: WorkflowResult): RunSummary {
  const jobs: RunSummary['jobs'] = {};
  for (const [id, job] of Object.entries(result.jobs))
    jobs[id] = { conclusion: job.conclusion, outputs: job.outputs };
  return { conclusion: result.conclusion, outputs: result.outputs, jobs };
}
