// Bundles every action into its committed dist/ with ncc, as users run them straight from a tag. Type checking
// is `pnpm typecheck`'s job, so the bundler only transpiles.
// `pnpm build [name...]` builds some; with none it builds all.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { actionNames, ROOT } from './actions';

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : actionNames();
const ncc = join(ROOT, 'node_modules', '.bin', 'ncc');

for (const name of names) {
  const dir = join(ROOT, 'actions', name);
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const started = Date.now();
  execFileSync(
    ncc,
    [
      'build',
      'src/main.ts',
      '-o',
      'dist',
      '--target',
      'es2022',
      '--transpile-only',
      // Smaller bundles parse faster: a step's cold start is mostly loading its bundle (pnpm bench:startup).
      '--minify',
      '--license',
      'licenses.txt',
      '-q',
    ],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  minifyChunks(join(dir, 'dist'));
  console.log(`built actions/${name}/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * ncc's --minify covers index.js only; the chunks it splits off for lazily loaded clients (the Kubernetes and AWS
 * SDKs) stay as written, and the Kubernetes one is ~20 MB. Minifying them keeps the committed dist small.
 */
function minifyChunks(dist: string): void {
  for (const file of readdirSync(dist).filter((name) => /^\d+\.index\.js$/.test(name))) {
    const path = join(dist, file);
    const { code } = transformSync(readFileSync(path, 'utf8'), {
      minify: true,
      format: 'esm',
      target: 'es2022',
      legalComments: 'none',
    });
    writeFileSync(path, code);
  }
}
