/** How a package asks its host to run a user's shell script: the values it passes, as environment variables. */
export interface ShellExecOptions {
  env: Record<string, string>;
  /** The name of the log group the script's output is folded into. */
  label: string;
  /** Also hand back what the script wrote to stdout (e.g. a script that prints a value as JSON). */
  captureStdout?: boolean;
}

export interface ShellExecResult {
  exitCode: number;
  /** What the script wrote to stdout, when `captureStdout` was asked for. */
  stdout?: string;
}

/**
 * Runs a user's shell script as a workflow `run:` step would. Packages cannot run anything themselves (they
 * have no runner), so the action runtime implements this and passes it in; tests pass their own. The exit code
 * is returned, never thrown, so the caller decides what a failure means.
 */
export type ShellExec = (command: string, options: ShellExecOptions) => Promise<ShellExecResult>;

/**
 * The arguments a user's script runs with, after `bash` and before the script, as GitHub's runner runs a
 * `shell: bash` step: no profile or rc file, stopping at the first failing command or pipe stage. Without
 * `--norc`, bash reads ~/.bashrc for a `-c` script whose stdin is a socket, as Node's pipes are: a self-hosted
 * runner's shell set-up (pyenv's rehash, for one) would run before every script.
 */
export const BASH_SCRIPT_ARGS = ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c'] as const;
