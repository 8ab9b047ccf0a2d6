import { actionWorkerScript, withInputNames } from '@recsys-actions/core';
import { runAction } from '@recsys-actions/runtime';
import { DRIFT_CHECK_FIELDS, readDriftCheckInputs } from './inputs';

/**
 * The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). The reference
 * is profiled on a worker thread that runs this action's own script (see main.ts).
 */
export function run(): Promise<void> {
  return runAction('drift-check', (ctx) =>
    withInputNames(DRIFT_CHECK_FIELDS, async () => {
      const inputs = await readDriftCheckInputs(ctx.read, ctx.run.workspace);
      // The data readers, the statistics and the report are loaded only once the inputs are known to be good,
      // so that a mistyped input fails in a fraction of a second (pnpm bench:startup).
      const { checkDrift } = await import('./check-drift');
      await checkDrift(ctx, inputs, actionWorkerScript(import.meta.url));
    }),
  );
}
