// `pnpm workflow run FILE [--event NAME] [--input k=v]... [--secret k=v]... [--repo DIR] [--json OUT]`
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';
import type { RunWorkflowOptions } from './run-context';
import { gitTopLevel } from './run-setup';
import { summarize } from './summary';
import { runWorkflow } from './workflow';

const usage =
  'usage: pnpm workflow run FILE [--event NAME] [--input k=v]... [--secret k=v]... [--repo DIR] [--json OUT]';

interface Command {
  file: string;
  json?: string;
  options: RunWorkflowOptions;
}

/** Paths on the command line are relative to where pnpm was started, not to the workspace root it runs in. */
const here = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);

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

async function main(): Promise<number> {
  const command = parseArguments(process.argv.slice(2));
  command.options.repo ??= gitTopLevel(here('.'));
  const result = await runWorkflow(command.file, command.options);
  console.log(`\nworkflow ${result.conclusion}`);
  for (const [id, job] of Object.entries(result.jobs)) console.log(`  ${id}: ${job.conclusion}`);
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  output ${name}: ${value}`);
  if (command.json) writeFileSync(command.json, `${JSON.stringify(summarize(result), null, 2)}\n`);
  return result.conclusion === 'success' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (!(error instanceof UserFacingError)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(2);
  },
);
