import { spawn } from 'node:child_process';
import { BASH_SCRIPT_ARGS, type ShellExec } from '@recsys-actions/core';

/**
 * The exec function as the action runtime implements it, minus the log group: a real bash (BASH_SCRIPT_ARGS)
 * child in `cwd` with PATH and the given environment. stdout is handed back when asked for; stderr is dropped.
 */
export function bashExec(cwd: string): ShellExec {
  return (command, { env, captureStdout }) =>
    new Promise((resolve, reject) => {
      const child = spawn('bash', [...BASH_SCRIPT_ARGS, command], {
        cwd,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'ignore'],
      });
      const chunks: Buffer[] = [];
      child.stdout?.on('data', (data: Buffer) => chunks.push(data));
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({
          exitCode: code ?? -1,
          ...(captureStdout ? { stdout: Buffer.concat(chunks).toString('utf8') } : {}),
        }),
      );
    });
}
