import { runAction } from '@recsys-actions/runtime';
import { readShiftInputs } from './inputs';

/**
 * The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). The router,
 * the ledger and the report are loaded only once the action's own inputs are known to be good, so that a mistyped
 * input fails in a fraction of a second (pnpm bench:startup).
 */
export function run(): Promise<void> {
  return runAction('shift-traffic', async (ctx) => {
    const inputs = readShiftInputs(ctx.read);
    const { shiftTrafficStep } = await import('./shift');
    await shiftTrafficStep(ctx, inputs);
  });
}
