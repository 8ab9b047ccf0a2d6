import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repoRoot, runnerNodeBinary } from '@recsys-actions/testkit';

/** What every bench child prints (see printMeasurement); each bench adds its own results. */
export interface Measurement {
  seconds: number;
  /** Reported beside wall time because other work on a shared machine stretches the wall clock. */
  cpuSeconds: number;
  peakRssBytes: number;
}

/** Prints one bench child's measurement as JSON: wall and CPU time since the given start, and peak RSS. */
export function printMeasurement(
  started: number,
  cpuBefore: NodeJS.CpuUsage,
  result: { metrics: Record<string, number>; counts?: unknown },
): void {
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      ...result,
    }),
  );
}

/** The recommendation rows a bench generates: `--rows N`, 10 M by default. */
export function benchRows(): number {
  // pnpm forwards the `--` of `pnpm bench -- --rows N` as an argument of its own.
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { rows: { type: 'string', default: '10000000' } },
  });
  const rows = Number(values.rows);
  if (!Number.isSafeInteger(rows) || rows < 100)
    throw new Error(`--rows must be a whole number >= 100, got ${values.rows}`);
  return rows;
}

/**
 * Runs evaluate-child.ts as validate-model runs: bundled by ncc (no TypeScript loader in the worker threads it
 * starts from its own script) on the runner's Node 24, one process per measured step. Returns the runner of steps.
 */
export function bundledEvaluateChild(outDirectory: string): <T>(...args: string[]) => T {
  const bundle = join(outDirectory, 'evaluate-child');
  execFileSync(
    join(repoRoot(), 'node_modules', '.bin', 'ncc'),
    [
      'build',
      fileURLToPath(new URL('./evaluate-child.ts', import.meta.url)),
      '-o',
      bundle,
      '--transpile-only',
      '-q',
    ],
    { stdio: 'inherit' },
  );
  return <T>(...args: string[]): T => {
    const child = spawnSync(runnerNodeBinary(), [join(bundle, 'index.js'), ...args], {
      cwd: repoRoot(),
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`evaluate-child ${args.join(' ')} failed:\n${child.stderr}`);
    return JSON.parse(child.stdout) as T;
  };
}
