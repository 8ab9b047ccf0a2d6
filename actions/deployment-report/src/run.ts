import { runAction } from '@recsys-actions/runtime';
import { readReportInputs } from './inputs';

/**
 * The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). The ledger,
 * the insights and the report are loaded only once the action's own inputs are known to be good, so that a mistyped
 * input fails in a fraction of a second (pnpm bench:startup).
 */
export function run(): Promise<void> {
  return runAction('deployment-report', async (ctx) => {
    const inputs = readReportInputs(ctx.read);
    const { reportDeployments } = await import('./report-deployments');
    await reportDeployments(ctx, inputs);
  });
}
