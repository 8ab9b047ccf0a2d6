import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root: the nearest folder above this file holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the recsys-actions workspace root');
    dir = parent;
  }
  return dir;
}

/**
 * The Node 24 binary from the `node` npm package (a root devDependency): GitHub runs `runs.using: node24`
 * actions on it, so the built dists are tested on the same major version whatever Node runs the tests.
 */
export function runnerNodeBinary(): string {
  const binary = join(repoRoot(), 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(binary)) throw new Error(`Node 24 is missing at ${binary}; run pnpm install`);
  return binary;
}

/**
 * Runs git in `cwd` and returns its trimmed output, with an identity of its own so commits work on a machine
 * that has none configured (CI).
 */
export function git(cwd: string, ...args: string[]): string {
  const identity = ['-c', 'user.name=recsys-test', '-c', 'user.email=test@example.invalid'];
  return execFileSync('git', [...identity, ...args], { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();
}
