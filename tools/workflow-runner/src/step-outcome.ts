/** What running one step gave, before `continue-on-error` decides its conclusion. */
export interface StepOutcome {
  ok: boolean;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** Why the step failed, when it did and the reason is the runner's to tell (a timeout, an exit code). */
  failure?: string;
}
