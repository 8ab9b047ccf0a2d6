import { actionWorkerScript, withInputNames } from '@recsys-actions/core';
import { runAction } from '@recsys-actions/runtime';
import { checkDrift } from './check-drift';
import { DRIFT_CHECK_FIELDS } from './inputs';

/**
 * The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). The reference
 * is profiled on a worker thread that runs this action's own script (see main.ts).
 */
export function run(): Promise<void> {
  return runAction('drift-check', (ctx) =>
    withInputNames(DRIFT_CHECK_FIELDS, () => checkDrift(ctx, actionWorkerScript(import.meta.url))),
  );
}
