// The command line of `pnpm workflow run`, parsed into runWorkflow's options.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';
import type { Value } from './expressions';
import type { RunWorkflowOptions } from './run-context';

const usage =
  'usage: pnpm workflow run FILE [--event NAME] [--input k=v]... [--secret k=v]... [--repo DIR] [--payload EVENT.json] [--json OUT]';

export interface Command {
  file: string;
  json?: string;
  options: RunWorkflowOptions;
}

/** Paths on the command line are relative to where pnpm was started, not to the workspace root it runs in. */
export const here = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);

export function parseArguments(args: string[]): Command {
  const [verb, file, ...rest] = args;
  if (verb !== 'run' || !file || file.startsWith('--')) throw new UserFacingError(usage);
  const inputs: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const command: Command = { file: here(file), options: { inputs, secrets } };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new UserFacingError(`${flag} needs a value. ${usage}`);
    if (flag === '--event') command.options.event = value;
    else if (flag === '--repo') command.options.repo = here(value);
    else if (flag === '--json') command.json = here(value);
    else if (flag === '--payload') command.options.eventPayload = readPayload(here(value));
    else if (flag === '--input' || flag === '--secret') {
      const at = value.indexOf('=');
      if (at <= 0)
        throw new UserFacingError(`${flag} takes name=value. Example: ${flag} environment=staging`);
      const target = flag === '--input' ? inputs : secrets;
      target[value.slice(0, at)] = value.slice(at + 1);
    } else throw new UserFacingError(`unknown option ${flag}. ${usage}`);
  }
  return command;
}

function readPayload(file: string): Record<string, Value> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Value>;
  } catch (error) {
    throw new UserFacingError(
      `--payload ${file} is not a readable JSON event: ${(error as Error).message}. Example: --payload pr.json`,
    );
  }
}
