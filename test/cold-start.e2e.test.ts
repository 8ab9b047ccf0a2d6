// Keeps the cold-start work from eroding: every action's built dist, run as the runner runs it on the inputs
// action.yml gives by default (which stop at the first required input), must not load Node's network, crypto,
// compression, process or thread modules. Each of those is loaded on first use instead (see CONTRIBUTING.md,
// "Cold start"); `pnpm bench:startup` measures the time and memory this saves. The inputs are checked before the
// rest of the action loads, with zod/mini: its errors must still read as zod words them.
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
import { actionNames } from '../scripts/actions';

const HEAVY_BUILTINS = ['http', 'https', 'http2', 'tls', 'crypto', 'zlib', 'child_process', 'worker_threads'];

// Printed at exit by a preloaded hook: the built-in modules this process loaded.
const REPORT_LOADED =
  'data:text/javascript,process.on("exit",()=>process.stdout.write("\\nloaded:"+process.moduleLoadList.join(",")+"\\n"))';

function coldRun(
  action: string,
  inputs: Record<string, string> = {},
): { loaded: string[]; errors: string[]; status: number | null } {
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
  const line = run.stdout.split('\n').find((text) => text.startsWith('loaded:')) ?? '';
  const loaded = line
    .slice('loaded:'.length)
    .split(',')
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length));
  return { loaded, errors: commandMessages(run.stdout, 'error'), status: run.status };
}

describe.each(actionNames())('%s, stopped by a missing input', (action) => {
  it('fails with one error line and loads no network, crypto, compression or process module', () => {
    const run = coldRun(action);
    expect(run.status).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Input '[a-z-]+'/);
    expect(run.loaded.length).toBeGreaterThan(10);
    expect(run.loaded.filter((name) => HEAVY_BUILTINS.includes(name))).toEqual([]);
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
