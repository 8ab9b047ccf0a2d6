import { oneLine } from '@recsys-actions/core';

export type Command = string | string[];

/**
 * A command from router-config as argv. Strings are split on white space and never go through a shell, so a
 * config value cannot run anything but the named program; use the array form for arguments containing spaces.
 */
export function toArgv(command: Command): string[] {
  return typeof command === 'string' ? command.trim().split(/\s+/) : command;
}

export interface CommandOutcome {
  ok: boolean;
  /** What the program said (stderr first, where nginx writes), on one line; or why it could not run. */
  message: string;
}

export function runCommand(command: Command, timeoutMs = 30_000): Promise<CommandOutcome> {
  const [program, ...args] = toArgv(command);
  // Loaded on first use, not at import: every action's cold start (a bad input included) would pay for it.
  const { execFile } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve) => {
    execFile(program ?? '', args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const said = oneLine(`${stderr}\n${stdout}`);
      if (!error) return resolve({ ok: true, message: said });
      const why =
        typeof error.code === 'string'
          ? `could not run '${program}' (${error.code})`
          : `'${toArgv(command).join(' ')}' exited with ${error.killed ? 'a timeout' : `code ${error.code}`}`;
      resolve({ ok: false, message: said ? `${said} [${why}]` : why });
    });
  });
}
