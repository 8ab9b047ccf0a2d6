// Keeps the cold-start work from eroding: every action's built dist, run as the runner runs it on the inputs
// action.yml gives by default (which stop at the first required input; see badInputs), must not load Node's network, crypto,
// compression, process or thread modules. Each of those is loaded on first use instead (see CONTRIBUTING.md,
// "Cold start"); `pnpm bench:startup` measures the time and memory this saves. The plain inputs are checked before
// the rest of the action loads; YAML inputs are parsed with zod/mini once they are, and its errors must still read
// as zod words them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actionInputs,
  commandMessages,
  inputVariableName,
  readActionManifest,
  repoRoot,
  runnerNodeBinary,
} from '@recsys-actions/testkit';
import { actionNames, badInputs } from '../scripts/actions';

const HEAVY_BUILTINS = ['http', 'https', 'http2', 'tls', 'crypto', 'zlib', 'child_process', 'worker_threads'];

// Printed at exit by a preloaded hook: the built-in modules this process loaded, and the files it imported (the
// dist's entry, and each chunk the bundler split off for the second stage).
const REPORT_LOADED = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
const files = [];
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.startsWith('file:')) files.push(resolved.url.split('/').pop());
    return resolved;
  },
});
process.on('exit', () =>
  process.stdout.write('\\nloaded:' + process.moduleLoadList.join(',') + '\\nfiles:' + files.join(',') + '\\n'),
);`)}`;

const printedList = (stdout: string, label: string): string[] =>
  (stdout.split('\n').find((text) => text.startsWith(label)) ?? label).slice(label.length).split(',');

function coldRun(
  action: string,
  inputs: Record<string, string> = {},
): { loaded: string[]; files: string[]; errors: string[]; status: number | null } {
  const workspace = mkdtempSync(join(tmpdir(), 'cold-start-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: workspace,
  };
  for (const [name, value] of Object.entries(actionInputs(readActionManifest(action), inputs, '')))
    env[inputVariableName(name)] = value;
  const run = spawnSync(
    runnerNodeBinary(),
    ['--import', REPORT_LOADED, join(repoRoot(), 'actions', action, 'dist', 'index.js')],
    { env, encoding: 'utf8' },
  );
  const loaded = printedList(run.stdout, 'loaded:')
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length));
  const files = printedList(run.stdout, 'files:');
  return { loaded, files, errors: commandMessages(run.stdout, 'error'), status: run.status };
}

describe.each(actionNames())('%s, stopped by a bad input', (action) => {
  it('fails with one error line and loads no network, crypto, compression or process module', () => {
    const run = coldRun(action, badInputs(action));
    expect(run.status).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Input '[a-z-]+'/);
    expect(run.loaded.length).toBeGreaterThan(10);
    expect(run.loaded.filter((name) => HEAVY_BUILTINS.includes(name))).toEqual([]);
    // The second stage (zod, the YAML parser, the action's body) is a chunk that a bad plain input never loads.
    expect(run.files).toEqual(['index.js']);
  });
});

describe('an input checked before the action loads', () => {
  it.each([
    [
      'validate-model',
      { metrics: 'metrics.json', thresholds: 'ndcg@10: {min: high}' },
      /expected number, received string/,
    ],
    [
      'drift-check',
      { reference: 'r.csv', current: 'c.csv', 'column-types': '{age: numberish}' },
      /expected one of "numeric"\|"categorical"/,
    ],
    [
      'canary-gate',
      {
        'canary-version': 'v2',
        'baseline-version': 'v1',
        checks: '[{name: e, type: ratio, total: t, weight: -1}]',
        'source-config': '{address: "http://prometheus:9090"}',
      },
      /checks\[0\]\.weight: Too small: expected number to be >0/,
    ],
  ])('%s: is described in zod English, not "Invalid input" alone', (action, inputs, message) => {
    const run = coldRun(action, inputs);
    expect(run.status).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(message);
  });
});
