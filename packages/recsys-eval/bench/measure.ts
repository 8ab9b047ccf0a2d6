import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
/** Where the benches run their children and keep their data (`.bench/`). */
export const repoRoot = join(here, '..', '..', '..');

/** What every bench child prints (see printMeasurement); each bench adds its own results. */
export interface Measurement {
  seconds: number;
  /** Reported beside wall time because other work on a shared machine stretches the wall clock. */
  cpuSeconds: number;
  peakRssBytes: number;
}

/** Runs one bench child (ours or a peer) in its own process and reads the measurement it prints. */
export function runMeasured<M extends Measurement>(command: string, args: string[]): M {
  const child = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as M;
}

/** Runs evaluate-child.ts with `args` (its mode first: whole, paired, partial, merge or bare). */
export function evaluateChild<M extends Measurement>(...args: string[]): M {
  return runMeasured<M>(process.execPath, ['--import', 'tsx', join(here, 'evaluate-child.ts'), ...args]);
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
