/**
 * What the release benches share: a site behind real nginx whose traffic include the steps rewrite, the
 * hand-written reload teams script today as the peer, and the clock from the start of a switch until the site
 * answers from the new version.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findExecutable, runAction, type ActionRun } from '@recsys-actions/testkit';
import { startNginx } from '@recsys-actions/testkit/services/nginx';
import { freePort } from '@recsys-actions/testkit/services/prometheus';
import { startVersionServer, tallyVersions } from '@recsys-actions/testkit/services/upstream';
import { allTrafficTo, renderNginxConfig } from '@recsys-actions/traffic';

export interface BenchSite {
  /** The site's health URL through nginx. */
  site: string;
  /** The `router: nginx` inputs of a step on this site. */
  routerInputs: { router: 'nginx'; 'router-config': string };
  /** `cp <version>.conf traffic.conf && nginx -t && nginx -s reload && sleep 1`, spawned as a shell. */
  byHand(version: string): Promise<void>;
  close(): Promise<void>;
}

/** nginx in front of one upstream per version, all traffic to `live` to begin with. */
export async function startBenchSite(versions: readonly string[], live: string): Promise<BenchSite> {
  const executable = findExecutable('nginx');
  if (!executable) throw new Error('nginx is not installed: apt-get install -y nginx-light');
  const servers = await Promise.all(versions.map((version) => startVersionServer(version)));
  const [sitePort, probePort] = [await freePort(), await freePort()];
  const fields = {
    upstream: 'recsys',
    servers: Object.fromEntries(servers.map((server) => [server.version, [server.address]])),
    userKey: '$http_x_user_id',
    probeListen: `127.0.0.1:${probePort}`,
  };
  const renderAll = (version: string) => renderNginxConfig(allTrafficTo(version), fields).text;
  const nginx = await startNginx({
    executable,
    files: {
      'traffic.conf': renderAll(live),
      ...Object.fromEntries(versions.map((version) => [`${version}.conf`, renderAll(version)])),
    },
    http: `include {prefix}/traffic.conf;
    server { listen 127.0.0.1:${sitePort}; location / { proxy_pass http://$recsys_upstream; } }`,
  });
  const includePath = join(nginx.prefix, 'traffic.conf');
  const [test, reload] = [nginx.testCommand, nginx.reloadCommand].map((argv) => argv.join(' '));
  return {
    site: `http://127.0.0.1:${sitePort}/healthz`,
    routerInputs: {
      router: 'nginx',
      'router-config': JSON.stringify({
        ...fields,
        path: includePath,
        testCommand: nginx.testCommand,
        reloadCommand: nginx.reloadCommand,
      }),
    },
    byHand: (version) =>
      shell(`cp ${join(nginx.prefix, `${version}.conf`)} ${includePath} && ${test} && ${reload} && sleep 1`),
    async close() {
      await nginx.stop();
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

function shell(script: string): Promise<void> {
  return new Promise((resolve, reject) =>
    spawn('sh', ['-c', script], { stdio: 'ignore' }).on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`the hand-written sequence exited with ${code}`)),
    ),
  );
}

let runs = 0;

/**
 * Runs an action's built dist under the runner emulation as a workflow run of its own: a step's journal key comes
 * from its run, so repeating inputs in one run would be a re-run that finds its work done. A failed step stops
 * the bench.
 */
export async function runStep(
  action: 'shift-traffic' | 'rollback',
  workspace: string,
  inputs: Record<string, string>,
  options: { token?: string; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const env = { ...options.env, GITHUB_RUN_ID: String(++runs) };
  const run = await runAction({ action, workspace, inputs, ...options, env });
  if (run.exitCode !== 0) throw new Error(`${action} failed: ${run.errors.join(' ') || run.stderr}`);
  return run;
}

/** Milliseconds from the start of `switching` until `site` answers 2xx from `version` alone. */
export async function timeToHealthy(
  site: string,
  switching: () => Promise<void>,
  version: string,
): Promise<number> {
  const started = performance.now();
  await switching();
  while ((await tallyVersions(site, 1)).byRequest[0] !== version) await sleep(1);
  return performance.now() - started;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** One row of a timing table: median, spread, ratio to the peer and share of the budget. */
export function timingRow(name: string, times: readonly number[], peer: number, budgetMs: number): string {
  const figure = median(times);
  const ms = (value: number) => value.toFixed(0).padStart(5);
  return (
    `  ${name.padEnd(46)} ${ms(figure)} ms   min ${ms(Math.min(...times))} / max ${ms(Math.max(...times))} ms   ` +
    `${(figure / peer).toFixed(2)} × by hand   ${((figure / budgetMs) * 100).toFixed(0)} % of the ${budgetMs} ms budget`
  );
}
