/**
 * How long a whole shift-traffic or rollback step takes on the nginx router, as a workflow sees it: from spawning
 * the built dist under the runner emulation until the site answers 2xx through nginx from the new split. Median
 * of 20 runs of each, measured in the same run against what teams script today:
 * `cp new.conf traffic.conf && nginx -t && nginx -s reload && sleep 1`, spawned as a shell and timed the same way.
 * Budget: 1.5 s per step.
 *
 * Run: pnpm exec tsx actions/shift-traffic/bench/step.bench.ts   (needs nginx: apt-get install -y nginx-light)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, runStep, startBenchSite, timeToHealthy, timingRow } from './nginx-site';

const RUNS = 20;
const BUDGET_MS = 1500;

const bench = await startBenchSite(['v1', 'v2'], 'v1');
const workspace = mkdtempSync(join(tmpdir(), 'step-bench-'));
const common = { environment: 'bench', ...bench.routerInputs, ledger: 'file' };
const step = async (action: 'shift-traffic' | 'rollback', inputs: Record<string, string>) => {
  await runStep(action, workspace, { ...common, ...inputs });
};

const results: Record<string, number[]> = {
  'shift-traffic (promote to 100 %)': [],
  'rollback (canary → stable)': [],
  'by hand: cp && nginx -t && reload && sleep 1': [],
};
const [shiftTimes, rollbackTimes, handTimes] = Object.values(results) as [number[], number[], number[]];
try {
  let live = 'v1';
  // Interleaved, so every method sees the same machine load.
  for (let round = 0; round < RUNS; round++) {
    const next = live === 'v1' ? 'v2' : 'v1';
    const shift = { 'stable-version': live, 'canary-version': next };
    shiftTimes.push(
      await timeToHealthy(
        bench.site,
        () => step('shift-traffic', { ...shift, 'canary-weight': '100' }),
        next,
      ),
    );
    handTimes.push(await timeToHealthy(bench.site, () => bench.byHand(live), live));
    handTimes.push(await timeToHealthy(bench.site, () => bench.byHand(next), next));
    // Untimed: a canary to roll back from.
    await step('shift-traffic', { 'stable-version': next, 'canary-version': live, 'canary-weight': '10' });
    const rollback = { reason: 'bench', 'health-url': bench.site, 'health-timeout': '10s' };
    rollbackTimes.push(await timeToHealthy(bench.site, () => step('rollback', rollback), next));
    live = next;
  }
  console.log(
    `Step on the nginx router, process start to healthy through nginx; median of ${RUNS} (${RUNS * 2} by hand):`,
  );
  const peer = median(handTimes);
  for (const [name, times] of Object.entries(results)) console.log(timingRow(name, times, peer, BUDGET_MS));
} finally {
  await bench.close();
}
