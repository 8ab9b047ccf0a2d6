// Runs one evaluation in its own process so the parent can report this process's peak RSS alone. With a fourth
// argument (a champion's recommendations) it runs the paired comparison too, as validate-model does.
import { evaluate } from '../src/index';

const [recommendations, interactions, ks, champion] = process.argv.slice(2);
if (recommendations === undefined || interactions === undefined || ks === undefined) {
  throw new Error(
    'usage: evaluate-child.ts <recommendations> <interactions> <k,k,...> [champion recommendations]',
  );
}
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await evaluate({
  recommendations,
  interactions,
  k: ks.split(',').map(Number),
  ...(champion && {
    paired: { recommendations: champion, confidences: [0.95], resamples: 1000, seed: 19, rboP: 0.9 },
  }),
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  JSON.stringify({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    metrics: result.metrics,
    counts: result.counts,
    paired: result.paired && {
      users: result.paired.users,
      ndcg: result.paired.metrics.find((metric) => metric.name === 'ndcg@10'),
    },
  }),
);
