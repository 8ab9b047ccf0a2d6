import { withInputNames } from '@recsys-actions/core';
import { runAction } from '@recsys-actions/runtime';
import { checkDrift } from './check-drift';
import { DRIFT_CHECK_FIELDS } from './inputs';

/** The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). */
export function run(): Promise<void> {
  return runAction('drift-check', (ctx) =>
    withInputNames(DRIFT_CHECK_FIELDS, () => checkDrift(ctx, workerScript())),
  );
}

/**
 * The thread that profiles the reference runs the action's own bundle (see main.ts). From source, under
 * local-action, there is no bundle: main.ts beside this file serves as the script instead.
 */
function workerScript(): URL {
  return new URL(import.meta.url.endsWith('/run.ts') ? './main.ts' : import.meta.url);
}
