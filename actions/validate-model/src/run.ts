import { actionWorkerScript } from '@recsys-actions/core';
import { runAction, type ActionContext } from '@recsys-actions/runtime';
import { readValidateModelInputs } from './inputs';

/**
 * The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). The
 * recommendation files are read on worker threads that run this action's own script (see main.ts).
 */
export function run(): Promise<void> {
  return runAction('validate-model', (ctx) => validateModel(ctx, actionWorkerScript(import.meta.url)));
}

/**
 * Reads and checks the inputs, then judges the model (judge.ts). The readers, the metrics and the report are loaded
 * only once the inputs are known to be good, so that a mistyped input fails in a fraction of a second
 * (pnpm bench:startup). With `workerScript` the recommendation files are read on worker threads running it.
 */
export async function validateModel(ctx: ActionContext<'validate-model'>, workerScript?: URL): Promise<void> {
  const inputs = await readValidateModelInputs(ctx.read, ctx.run.workspace);
  const { judgeModel } = await import('./judge');
  await judgeModel(ctx, inputs, workerScript);
}
