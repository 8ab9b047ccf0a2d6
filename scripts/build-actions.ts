// Bundles every action into its committed dist/ with ncc, as users run them straight from a tag. Type checking
// is `pnpm typecheck`'s job, so the bundler only transpiles.
// `pnpm build [name...]` builds some; with none it builds all.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { actionNames, ROOT } from './actions';

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : actionNames();
const ncc = join(ROOT, 'node_modules', '.bin', 'ncc');
// The bundler's module list, written beside the bundle for writeLicenses and deleted by it.
const STATS_FILE = 'bundle-stats.json';

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
      '--stats-out',
      join('dist', STATS_FILE),
      '-q',
    ],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  minifyChunks(join(dir, 'dist'));
  writeLicenses(join(dir, 'dist'));
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

/**
 * Writes dist/licenses.txt: the name, license and license text of every third-party package whose code is in any
 * file of the bundle. ncc's own `--license` lists only the packages of index.js, so since the actions load their
 * second stage from chunks it missed most of them (yaml and zod always). The bundler's stats name every module.
 */
function writeLicenses(dist: string): void {
  const statsPath = join(dist, STATS_FILE);
  const stats = JSON.parse(readFileSync(statsPath, 'utf8')) as {
    modules?: { name: string; modules?: { name: string }[] }[];
  };
  rmSync(statsPath);
  const moduleNames = (stats.modules ?? []).flatMap((module) => [
    module.name,
    ...(module.modules ?? []).map((inner) => inner.name),
  ]);
  const packages = new Map<string, string>();
  for (const name of moduleNames) {
    // Module names are relative to the action's folder; the last node_modules segment names the package.
    const [, folder, packageName] = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(name) ?? [];
    if (folder && packageName && !packages.has(packageName))
      packages.set(packageName, resolve(dist, '..', folder));
  }
  const entries = [...packages.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, folder]) => `${name}\n${licenseOf(folder)}\n${licenseText(folder, name)}`);
  writeFileSync(join(dist, 'licenses.txt'), `${entries.join('\n\n')}\n`);
}

function licenseOf(folder: string): string {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { license?: unknown };
  return typeof manifest.license === 'string' ? manifest.license : 'UNKNOWN';
}

/** The package's own license file; a package that ships none is named with the license its manifest declares. */
function licenseText(folder: string, name: string): string {
  const file = readdirSync(folder).find((entry) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(entry));
  if (file) return readFileSync(join(folder, file), 'utf8').trim();
  return `${name} ships no license file; its package.json declares ${licenseOf(folder)}.`;
}
