import * as core from '@actions/core';
import { exec } from '@actions/exec';
import type { ShellExec, ShellExecOptions } from '@recsys-actions/core';

export type ExecOptions = ShellExecOptions;

export type ExecCommand = ShellExec;

/**
 * Runs `command` as a `run:` step would (bash, stopping at the first failing command or pipe stage), in the
 * workspace, its output in a log group. The step's own INPUT_* variables are left out: they hold the token.
 * The exit code is returned, never thrown, so the caller decides what a failure means.
 */
export function runShellCommand(workspace: string): ExecCommand {
  return async (command, { env, label, captureStdout }) => {
    const inherited = Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('INPUT_'),
    );
    const chunks: Buffer[] = [];
    core.startGroup(label);
    try {
      const exitCode = await exec('bash', ['-e', '-o', 'pipefail', '-c', command], {
        cwd: workspace,
        env: { ...Object.fromEntries(inherited), ...env },
        ignoreReturnCode: true,
        ...(captureStdout ? { listeners: { stdout: (data: Buffer) => chunks.push(data) } } : {}),
      });
      return captureStdout ? { exitCode, stdout: Buffer.concat(chunks).toString('utf8') } : { exitCode };
    } finally {
      core.endGroup();
    }
  };
}
