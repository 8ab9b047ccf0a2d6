import * as core from '@actions/core';
import { exec } from '@actions/exec';

/** What a package may run: a user's shell script, its values passed as environment variables. */
export interface ExecOptions {
  env: Record<string, string>;
  /** The name of the log group the script's output is folded into. */
  label: string;
}

export type ExecCommand = (command: string, options: ExecOptions) => Promise<{ exitCode: number }>;

/**
 * Runs `command` as a `run:` step would (bash, stopping at the first failing command or pipe stage), in the
 * workspace, its output in a log group. The step's own INPUT_* variables are left out: they hold the token.
 * The exit code is returned, never thrown, so the caller decides what a failure means.
 */
export function runShellCommand(workspace: string): ExecCommand {
  return async (command, { env, label }) => {
    const inherited = Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('INPUT_'),
    );
    core.startGroup(label);
    try {
      const exitCode = await exec('bash', ['-e', '-o', 'pipefail', '-c', command], {
        cwd: workspace,
        env: { ...Object.fromEntries(inherited), ...env },
        ignoreReturnCode: true,
      });
      return { exitCode };
    } finally {
      core.endGroup();
    }
  };
}
