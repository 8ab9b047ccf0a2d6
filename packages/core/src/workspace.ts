import { existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
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
  const real = followLinks(target);
  if (real === 'loop') {
    throw new InputError(input, `leads into a loop of symbolic links ('${value}')`, example);
  }
  if (!isInside(root, real)) {
    throw new InputError(input, `points outside the workspace ('${value}')`, example);
  }
  return target;
}

/**
 * Like {@link resolveWorkspacePath}, for a file the action writes (a report, a ledger): a directory already
 * standing there is refused up front, before the action changes anything, rather than failing the write later.
 */
export function resolveWorkspaceOutput(
  input: string,
  value: string,
  workspace: string,
  example = 'reports/result.json',
): string {
  const path = resolveWorkspacePath(input, value, workspace, example);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new InputError(input, `names a directory, expected a file to write ('${value}')`, example);
  }
  return path;
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

/** Linux gives up after 40 links in one lookup (ELOOP); a longer chain counts as the loop it likely is. */
const MAX_LINKS = 40;

/**
 * Where writing to `path` would really land. realpath cannot answer for a path that does not exist yet, and
 * existsSync follows links, so a dangling link (`ledger.jsonl -> /outside/x`) would pass for a missing file
 * and the write would follow it out of the workspace. So every existing component is looked at with lstat,
 * links are followed by hand (relative targets from the link's folder), and only what truly does not exist is
 * appended.
 */
function followLinks(path: string): string | 'loop' {
  const { root } = parse(path);
  let resolved = root;
  let pending = path.slice(root.length).split(sep);
  let linksFollowed = 0;
  while (pending.length > 0) {
    const [name = '', ...rest] = pending;
    pending = rest;
    if (name === '' || name === '.') continue;
    const next = name === '..' ? dirname(resolved) : join(resolved, name);
    const kind = lookUp(next);
    if (kind === 'missing') return join(next, ...pending);
    if (kind === 'link') {
      if (++linksFollowed > MAX_LINKS) return 'loop';
      const target = readlinkSync(next);
      pending = [...target.split(sep), ...pending];
      if (isAbsolute(target)) resolved = root;
      continue;
    }
    resolved = next;
  }
  return resolved;
}

/** A component we may not look at (EACCES) cannot be written through either, so it counts as missing. */
function lookUp(path: string): 'link' | 'missing' | 'present' {
  try {
    return lstatSync(path).isSymbolicLink() ? 'link' : 'present';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return 'missing';
    throw error;
  }
}
