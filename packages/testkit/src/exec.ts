import { spawn } from 'node:child_process';
import type { ShellExec } from '@recsys-actions/core';

/**
 * The exec function as the action runtime implements it, minus the log group: a real `bash -e -o pipefail`
 * child in `cwd` with PATH and the given environment. stdout is handed back when asked for; stderr is dropped.
 */
export function bashExec(cwd: string): ShellExec {
  return (command, { env, captureStdout }) =>
    new Promise((resolve, reject) => {
      const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', command], {
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
