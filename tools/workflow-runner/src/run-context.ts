import type { Value } from './expressions';
import type { LoadedWorkflow } from './load';

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface RunWorkflowOptions {
  /** The event that triggers the run; default: workflow_dispatch when the workflow has it, else its first event. */
  event?: string;
  /** The event's payload (github.event); workflow_dispatch gets `{ inputs }` when omitted. */
  eventPayload?: Record<string, Value>;
  /** workflow_dispatch or workflow_call inputs, as given on the command line. */
  inputs?: Record<string, string>;
  secrets?: Record<string, string>;
  /** The repository actions/checkout clones and `./` references resolve into; default: the current git repo. */
  repo?: string;
  /** github.sha; default: HEAD of `repo`. */
  sha?: string;
  /** github.ref; default: refs/heads/<current branch of repo>. */
  ref?: string;
  /** github.repository; default: octo-org/<folder name of repo>. */
  repository?: string;
  actor?: string;
  /** github.token and secrets.GITHUB_TOKEN; default: the GITHUB_TOKEN secret, else empty. */
  token?: string;
  /** Extra environment for every step, e.g. GITHUB_API_URL of an emulator. */
  env?: Record<string, string>;
  /** Where upload-artifact stores and download-artifact reads; default: a new temporary folder. */
  artifactsDir?: string;
  /**
   * Runs again as GitHub's "Re-run all jobs" does: the earlier run's id, commit and ref, and the artifacts it
   * uploaded, as the next attempt.
   */
  rerunOf?: WorkflowResult;
  /** Receives each log line; default: printed to stdout. */
  log?: (line: string) => void;
  /**
   * Cancels the run, as GitHub's Cancel button does: the running job's step is stopped and the job is
   * cancelled; later jobs run only when their `if:` holds with cancelled() true, such as always().
   */
  signal?: AbortSignal;
}

/** What is shared by every job of one run, including the jobs of the workflows it calls. */
export interface Run {
  options: RunWorkflowOptions;
  repo: string;
  /** This recsys-actions checkout: `<owner>/recsys-actions/...` references resolve into it. */
  suiteRoot: string;
  artifactsDir: string;
  /** The github context every job starts from. */
  github: Record<string, Value>;
  log: (line: string) => void;
}

/** One workflow being run: the top-level one, or one called by a reusable job. */
export interface Frame {
  workflow: LoadedWorkflow;
  inputs: Record<string, Value>;
  secrets: Record<string, string>;
  /** The caller's job path, so nested jobs log as `release / announce`. */
  prefix: string;
}

export interface StepResult {
  id: string;
  name: string;
  outcome: Conclusion;
  conclusion: Conclusion;
  outputs: Record<string, string>;
  /** Messages of the `::error::` lines the step printed. */
  errors: string[];
}

export interface LegResult {
  matrix: Record<string, Value>;
  conclusion: Conclusion;
  outputs: Record<string, string>;
  steps: StepResult[];
  /** What the steps wrote to GITHUB_STEP_SUMMARY, in order. */
  summary: string;
}

export interface JobResult {
  conclusion: Conclusion;
  outputs: Record<string, string>;
  /** The matrix legs, in the order they ran; one for a job without a matrix, none when skipped. */
  legs: LegResult[];
  /** For a reusable job: the run of the workflow it called. */
  workflow?: WorkflowResult;
  /** The concurrency group the job would use on GitHub, when it declares one. */
  concurrency?: string;
}

export interface WorkflowResult {
  file: string;
  /** cancelled when the run was cancelled, else failure when a job failed. */
  conclusion: 'success' | 'failure' | 'cancelled';
  outputs: Record<string, string>;
  jobs: Record<string, JobResult>;
  concurrency?: string;
  artifactsDir: string;
  /** What a re-run keeps (see RunWorkflowOptions.rerunOf). */
  attempt: RunAttempt;
}

export interface RunAttempt {
  runId: string;
  /** github.run_attempt: 1, then 2 for its first re-run, and so on. */
  number: number;
  sha: string;
  ref: string;
}
