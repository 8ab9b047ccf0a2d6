import { BASH_SCRIPT_ARGS, type ShellExec, type ShellExecOptions } from '@recsys-actions/core';
import { endGroup, startGroup } from './commands';

export type ExecOptions = ShellExecOptions;

export type ExecCommand = ShellExec;

/**
 * Runs `command` as a `shell: bash` step would (see BASH_SCRIPT_ARGS), in the workspace, its output in a log
 * group. The step's own INPUT_* variables are left out: they hold the token. The exit code is returned, never
 * thrown, so the caller decides what a failure means.
 */
export function runShellCommand(workspace: string): ExecCommand {
  return async (command, { env, label, captureStdout }) => {
    const inherited = Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('INPUT_'),
    );
    const chunks: Buffer[] = [];
    let lastByte: number | undefined;
    const listen = (data: Buffer) => {
      if (captureStdout) chunks.push(data);
      if (data.length > 0) lastByte = data[data.length - 1];
    };
    // Loaded here, not at import: only the deploy-hook and blue-green runs use it.
    const { exec } = await import('@actions/exec');
    startGroup(label);
    try {
      const exitCode = await exec('bash', [...BASH_SCRIPT_ARGS, command], {
        cwd: workspace,
        env: { ...Object.fromEntries(inherited), ...env },
        ignoreReturnCode: true,
        listeners: { stdout: listen },
      });
      return captureStdout ? { exitCode, stdout: Buffer.concat(chunks).toString('utf8') } : { exitCode };
    } finally {
      // A script whose output ends without a newline would swallow ::endgroup:: into its last line.
      if (lastByte !== undefined && lastByte !== 0x0a) process.stdout.write('\n');
      endGroup();
    }
  };
}
