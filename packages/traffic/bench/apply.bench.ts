/**
 * How long an nginx traffic change takes, from the call to the first request served by the new version, as the
 * median of 20 switches, and whether the requests right after it still reach the old version. Measured in the
 * same run against two ways of doing it by hand (write the include, `nginx -t`, `nginx -s reload`, then):
 *   - "poll": poll the site until the new version answers once (fast, but old workers keep accepting for
 *     about 100 ms more, which the stale-answer count shows);
 *   - "sleep": sleep 1 s, the usual deploy-script habit.
 * The action-level budget is 1.5 s from process start to healthy, so this step must stay well inside it.
 *
 * Run: pnpm exec tsx packages/traffic/bench/apply.bench.ts   (needs nginx: apt-get install -y nginx-light)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findExecutable, median } from '@recsys-actions/testkit';
import { startNginx } from '@recsys-actions/testkit/services/nginx';
import { freePort } from '@recsys-actions/testkit/services/prometheus';
import { startVersionServer, tallyVersions } from '@recsys-actions/testkit/services/upstream';
import { allTrafficTo, createRouter, parseRouterConfig, renderNginxConfig } from '../src/index';
import { applyObserved } from '../test/apply-observed';

const RUNS = 20;
const CHECKS_AFTER = 20;
const BUDGET_MS = 1500;

const executable = findExecutable('nginx');
if (!executable) throw new Error('nginx is not installed: apt-get install -y nginx-light');

const servers = await Promise.all([startVersionServer('v1'), startVersionServer('v2')]);
const [sitePort, probePort] = [await freePort(), await freePort()];
const site = `http://127.0.0.1:${sitePort}/`;
const fields = {
  upstream: 'recsys',
  servers: Object.fromEntries(servers.map((server) => [server.version, [server.address]])),
  userKey: '$http_x_user_id',
  probeListen: `127.0.0.1:${probePort}`,
};
const nginx = await startNginx({
  executable,
  files: { 'traffic.conf': renderNginxConfig(allTrafficTo('v1'), fields).text },
  http: `include {prefix}/traffic.conf;
    server { listen 127.0.0.1:${sitePort}; location / { proxy_pass http://$recsys_upstream; } }`,
});
const includePath = join(nginx.prefix, 'traffic.conf');
const router = createRouter(
  parseRouterConfig('nginx', {
    ...fields,
    path: includePath,
    testCommand: nginx.testCommand,
    reloadCommand: nginx.reloadCommand,
  }),
  { environment: 'bench', workspace: nginx.prefix },
);

const answer = async () => (await tallyVersions(site, 1)).byRequest[0];
const run = ([program, ...args]: string[]) => execFileSync(program ?? '', args, { stdio: 'ignore' });

type Method = (version: string) => Promise<void>;

const methods: Record<string, Method> = {
  'applyObserved(router, )': async (version) => {
    await applyObserved(router, allTrafficTo(version));
  },
  'by hand, poll': async (version) => {
    writeFileSync(includePath, renderNginxConfig(allTrafficTo(version), fields).text);
    run(nginx.testCommand);
    run(nginx.reloadCommand);
    while ((await answer()) !== version) await sleep(5);
  },
  'by hand, sleep 1 s': async (version) => {
    writeFileSync(includePath, renderNginxConfig(allTrafficTo(version), fields).text);
    run(nginx.testCommand);
    run(nginx.reloadCommand);
    await sleep(1000);
  },
};

/** Time to the first request on the new version, and how many of the next requests still hit the old one. */
async function measure(method: Method, version: string): Promise<{ ms: number; stale: number }> {
  const started = performance.now();
  await method(version);
  while ((await answer()) !== version) await sleep(1);
  const ms = performance.now() - started;
  const after = await tallyVersions(site, CHECKS_AFTER, undefined, 1);
  return { ms, stale: CHECKS_AFTER - (after.tally[version] ?? 0) };
}

try {
  const results = Object.fromEntries(
    Object.keys(methods).map((name) => [name, { ms: [] as number[], stale: 0 }]),
  );
  let version = 'v1';
  // Interleaved so that every method sees the same machine load; each call switches to the other version.
  for (let round = 0; round < RUNS; round++) {
    for (const [name, method] of Object.entries(methods)) {
      version = version === 'v1' ? 'v2' : 'v1';
      const { ms, stale } = await measure(method, version);
      results[name]?.ms.push(ms);
      if (results[name]) results[name].stale += stale;
    }
  }
  const ours = median(results['applyObserved(router, )']?.ms ?? []);
  console.log(`nginx traffic switch to first request on the new version, median of ${RUNS}:`);
  for (const [name, result] of Object.entries(results)) {
    const figure = median(result.ms);
    console.log(
      `  ${name.padEnd(20)} ${figure.toFixed(0).padStart(5)} ms   router/this ${(ours / figure).toFixed(2)}   ` +
        `stale answers after return ${result.stale}/${RUNS * CHECKS_AFTER}`,
    );
  }
  console.log(
    `  applyObserved(router, ) uses ${((ours / BUDGET_MS) * 100).toFixed(0)} % of the ${BUDGET_MS} ms action budget`,
  );
} finally {
  await nginx.stop();
  await Promise.all(servers.map((server) => server.close()));
}
