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
