import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folders under actions/ that are actions (have an action.yml), as opposed to shared code like runtime/. */
export function actionNames(): string[] {
  return readdirSync(join(ROOT, 'actions'))
    .filter((name) => existsSync(join(ROOT, 'actions', name, 'action.yml')))
    .sort();
}

/**
 * The inputs that stop each action at one bad input, for the cold-start test and `pnpm bench:startup`: none beyond
 * action.yml's defaults, which leave a required input unset, except where every input has a default.
 */
export function badInputs(action: string): Record<string, string> {
  return action === 'deployment-report' ? { since: 'last month' } : {};
}
