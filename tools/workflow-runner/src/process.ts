import { spawn } from 'node:child_process';
import { stopOnAbort } from '@recsys-actions/testkit';

export interface ProcessRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a command to its end, or kills it after `timeoutMs` (how timeout-minutes is honoured), or stops it as a
 * cancelled step when `signal` aborts.
 */
export async function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
): Promise<ProcessRun> {
  // Its own process group, so a timeout kills what the script started too (a `sleep` would hold the pipes open).
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stopped = stopOnAbort(options.signal, (name) => child.pid && process.kill(-child.pid, name));
  const timer = setTimeout(
    () => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    },
    Math.max(options.timeoutMs, 1),
  );
  const exitCode = await new Promise<number>((resolve) => {
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
      resolve(127);
    });
    child.on('close', (code) => resolve(code ?? -1));
  });
  clearTimeout(timer);
  stopped();
  return { exitCode, stdout, stderr, timedOut };
}
