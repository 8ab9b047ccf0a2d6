import { parseArgs } from 'node:util';

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
