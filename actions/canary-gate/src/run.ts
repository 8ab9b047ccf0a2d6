import { withInputNames } from '@recsys-actions/core';
import { runAction, type ActionContext } from '@recsys-actions/runtime';
import { CANARY_GATE_FIELDS, readCanaryGateInputs } from './inputs';

/** The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). */
export function run(): Promise<void> {
  return runAction('canary-gate', (ctx) => withInputNames(CANARY_GATE_FIELDS, () => judgeCanary(ctx)));
}

/**
 * Reads and checks the inputs, then judges the canary (gate.ts). The engine, the metric source and the report are
 * loaded only once the inputs are known to be good, so that a mistyped input fails in a fraction of a second
 * (pnpm bench:startup).
 */
export async function judgeCanary(ctx: ActionContext<'canary-gate'>): Promise<void> {
  for (const secret of ['source-token', 'source-basic-auth']) ctx.mask(ctx.read(secret));
  const inputs = await readCanaryGateInputs(ctx.read, ctx.run.workspace);
  const { gateCanary } = await import('./gate');
  await gateCanary(ctx, inputs);
}
