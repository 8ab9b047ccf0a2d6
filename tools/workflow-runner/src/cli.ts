// `pnpm workflow run FILE [--event NAME] [--input k=v]... [--secret k=v]... [--repo DIR] [--payload EVENT.json] [--json OUT]`
import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { UserFacingError } from '@recsys-actions/core';
import { here, parseArguments } from './cli-arguments';
import { gitTopLevel } from './run-setup';
import { summarize } from './summary';
import { runWorkflow } from './workflow';

/**
 * Ctrl-C or SIGTERM cancels the run as GitHub's Cancel button does, so jobs with `if: always()` or
 * `cancelled()` (a rollback) still run. The signal that cancelled the run decides the exit code.
 */
function cancelOnSignals(): { signal: AbortSignal; received: () => NodeJS.Signals | undefined } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const cancel = (name: NodeJS.Signals) => {
    if (received) return;
    received = name;
    console.log(`\n${name}: cancelling the run; jobs with if: always() or cancelled() still run`);
    controller.abort();
  };
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  return { signal: controller.signal, received: () => received };
}

async function main(): Promise<number> {
  const command = parseArguments(process.argv.slice(2));
  command.options.repo ??= gitTopLevel(here('.'));
  const cancellation = cancelOnSignals();
  const result = await runWorkflow(command.file, { ...command.options, signal: cancellation.signal });
  console.log(`\nworkflow ${result.conclusion}`);
  for (const [id, job] of Object.entries(result.jobs)) console.log(`  ${id}: ${job.conclusion}`);
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  output ${name}: ${value}`);
  if (command.json) writeFileSync(command.json, `${JSON.stringify(summarize(result), null, 2)}\n`);
  const signal = cancellation.received();
  // 128 + the signal's number, as a shell reports a command that a signal ended.
  if (result.conclusion === 'cancelled' && signal) return 128 + constants.signals[signal];
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
