// `pnpm workflow run FILE [--event NAME] [--input k=v]... [--secret k=v]... [--repo DIR] [--payload EVENT.json] [--json OUT]`
import { writeFileSync } from 'node:fs';
import { UserFacingError } from '@recsys-actions/core';
import { here, parseArguments } from './cli-arguments';
import { gitTopLevel } from './run-setup';
import { summarize } from './summary';
import { runWorkflow } from './workflow';

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
