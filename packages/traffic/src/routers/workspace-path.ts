import { ConfigError, InputError, resolveWorkspaceOutput } from '@recsys-actions/core';

/** A file a router keeps in the workspace; a path that leaves it, or names a directory, is a config error of that router. */
export function routerWorkspacePath(
  router: string,
  relativePath: string,
  workspace: string,
  example: string,
): string {
  try {
    return resolveWorkspaceOutput('path', relativePath, workspace, example);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new ConfigError('config', `for router '${router}' ${error.problem}`, example);
  }
}
