// `pnpm bench:startup`: how long each action's committed dist takes under the runner's Node 24, from process
// start to exit on one bad input, and its peak memory (RSS), beside two floors measured in the same run: a bare
// `node -e ''` and a bare @actions/core action bundled with ncc as the actions are. Goal: each action adds at
// most 60 ms and 18 MiB over the bare node floor.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actionInputs,
  inputVariableName,
  readActionManifest,
  runnerNodeBinary,
} from '@recsys-actions/testkit';
import { actionNames, badInputs, ROOT } from './actions';

const RUNS = Number(process.env.RECSYS_BENCH_RUNS ?? 15);
const GOAL = { ms: 60, mib: 18 };

interface Sample {
  ms: number;
  mib: number;
}

/** One process from start to exit, timed here and its peak RSS read from GNU time. */
function runOnce(argv: string[], env: NodeJS.ProcessEnv): Sample {
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const kib = Number(run.stderr.trim().split('\n').at(-1));
  if (!Number.isFinite(kib)) throw new Error(`no RSS from ${argv.join(' ')}: ${run.stderr}`);
  return { ms, mib: kib / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Median time and memory over RUNS runs, after one warm-up run that fills the page cache. */
function measure(argv: string[], env: NodeJS.ProcessEnv): Sample {
  runOnce(argv, env);
  const samples = Array.from({ length: RUNS }, () => runOnce(argv, env));
  return { ms: median(samples.map((s) => s.ms)), mib: median(samples.map((s) => s.mib)) };
}

/** The environment the runner gives a step: one bad input and action.yml's defaults as INPUT_*, and a workspace. */
function runnerEnvironment(action: string, workspace: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: workspace,
    GITHUB_REPOSITORY: 'octo-org/recsys',
  };
  for (const [name, value] of Object.entries(actionInputs(readActionManifest(action), badInputs(action), '')))
    env[inputVariableName(name)] = value;
  return env;
}

function bareCoreAction(): string {
  const out = mkdtempSync(join(tmpdir(), 'bench-bare-action-'));
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'ncc'),
    ['build', 'bench/bare-action.ts', '-o', out, '--target', 'es2022', '--transpile-only', '--minify', '-q'],
    { cwd: join(ROOT, 'actions', 'runtime'), stdio: 'inherit' },
  );
  return join(out, 'index.js');
}

const node = runnerNodeBinary();
const workspace = mkdtempSync(join(tmpdir(), 'bench-startup-'));
writeFileSync(join(workspace, '.keep'), '');
const floor = measure([node, '-e', ''], { PATH: process.env.PATH });
const core = measure([node, bareCoreAction()], { PATH: process.env.PATH, INPUT_X: 'bad' });

const rows: string[][] = [
  ["node -e ''", floor.ms.toFixed(0), floor.mib.toFixed(1), '', '', ''],
  [
    'bare @actions/core action',
    core.ms.toFixed(0),
    core.mib.toFixed(1),
    `+${(core.ms - floor.ms).toFixed(0)}`,
    `+${(core.mib - floor.mib).toFixed(1)}`,
    '',
  ],
];
let met = true;
for (const action of actionNames()) {
  const sample = measure(
    [node, join(ROOT, 'actions', action, 'dist', 'index.js')],
    runnerEnvironment(action, workspace),
  );
  const extra = { ms: sample.ms - floor.ms, mib: sample.mib - floor.mib };
  const ok = extra.ms <= GOAL.ms && extra.mib <= GOAL.mib;
  met &&= ok;
  rows.push([
    action,
    sample.ms.toFixed(0),
    sample.mib.toFixed(1),
    `+${extra.ms.toFixed(0)}`,
    `+${extra.mib.toFixed(1)}`,
    `${(sample.ms / core.ms).toFixed(2)}× / ${(sample.mib / core.mib).toFixed(2)}×${ok ? '' : '  over goal'}`,
  ]);
}

const headers = [
  'process (Node 24, one bad input)',
  'ms',
  'MiB',
  'ms over node',
  'MiB over node',
  'vs bare core action (time / RSS)',
];
const widths = headers.map((header, i) =>
  Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
);
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
console.log(
  `median of ${RUNS} runs each, after a warm-up run; goal: at most +${GOAL.ms} ms and +${GOAL.mib} MiB over node`,
);
console.log(line(headers));
for (const row of rows) console.log(line(row));
console.log(met ? 'every action meets the goal' : 'some action is over the goal');
