import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from './errors';

/**
 * Resolves a path given in an input against the workspace and refuses anything that lands outside it,
 * following symbolic links, so a workflow input cannot make an action read or write arbitrary runner files.
 */
export function resolveWorkspacePath(
  input: string,
  value: string,
  workspace: string,
  example = 'data/file.csv',
): string {
  const root = realpathSync(workspace);
  const target = resolve(root, value);
  const real = realpathOfNearestExisting(target);
  if (!isInside(root, real)) {
    throw new InputError(input, `points outside the workspace ('${value}')`, example);
  }
  return target;
}

/** Like {@link resolveWorkspacePath}, and the file (or directory, when allowed) must exist. */
export function resolveWorkspaceFile(
  input: string,
  value: string,
  workspace: string,
  options: { allowDirectory?: boolean; example?: string } = {},
): string {
  const path = resolveWorkspacePath(input, value, workspace, options.example);
  const example = options.example ?? 'data/file.csv';
  if (!existsSync(path)) {
    throw new InputError(
      input,
      `names a file that does not exist ('${value}'); paths are relative to the workspace`,
      example,
    );
  }
  if (!options.allowDirectory && statSync(path).isDirectory()) {
    throw new InputError(input, `names a directory, expected a file ('${value}')`, example);
  }
  return path;
}

/**
 * True when `path` is `root` or below it. A bare `startsWith('..')` would also refuse names inside the root that
 * merely begin with two dots, such as `..cache/x`, so only a whole `..` segment counts as leaving.
 */
export function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return !(fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot));
}

function realpathOfNearestExisting(path: string): string {
  let current = path;
  const missing: string[] = [];
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    missing.unshift(current.slice(parent.length));
    current = parent;
  }
  return realpathSync(current) + missing.join('');
}
