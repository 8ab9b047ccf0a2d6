import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeWithService,
  expectCleanFailure,
  matchReportCorpus,
  workspaceWith,
} from '@recsys-actions/testkit';
import { NGINX_SERVICE, type NginxInstance } from '@recsys-actions/testkit/services/nginx';
import { startRoutedSite, type RoutedSite } from '@recsys-actions/testkit/services/routed-site';
import { tallyVersions } from '@recsys-actions/testkit/services/upstream';
import { allTrafficTo, renderNginxConfig } from '@recsys-actions/traffic';
import { expectSuccess, readLedgerFile, step } from './helpers';

const REQUESTS = 2000;
// Binomial sd of a 20 % share over 2000 requests is 0.9 %; ±3 % is more than three sd.
const TOLERANCE = 0.03;

describeWithService(
  NGINX_SERVICE,
  'shift-traffic and rollback through a real nginx (built dists)',
  (executable) => {
    let routed: RoutedSite;
    let nginx: NginxInstance;
    let site: string;
    let routerConfig: (servers?: Record<string, string[]>) => string;
    const workspace = workspaceWith({});
    const tally = async (count: number) => (await tallyVersions(site, count)).tally;
    const includeFile = () => readFileSync(join(nginx.prefix, 'traffic.conf'), 'utf8');

    beforeAll(async () => {
      routed = await startRoutedSite(executable, {
        versions: ['v1', 'v2'],
        render: (fields) => renderNginxConfig(allTrafficTo('v1'), fields).text,
        // A plain site: no mirror location, as a team that never shadows sets it up.
        site: (port) => `
    server { listen 127.0.0.1:${port}; location / { proxy_pass http://$recsys_upstream; } }`,
      });
      nginx = routed.nginx;
      site = `${routed.url}/healthz`;
      routerConfig = (overrides = {}) =>
        JSON.stringify({
          ...routed.routerConfig,
          servers: { ...routed.fields.servers, ...overrides },
        });
    });

    afterAll(async () => {
      await routed?.stop();
    });

    it('routes the requested share of real requests to the canary', async () => {
      expect(await tally(50)).toEqual({ v1: 50 });
      const run = await step('shift-traffic', workspace, {
        router: 'nginx',
        'router-config': routerConfig(),
        'stable-version': 'v1',
        'canary-version': 'v2',
        'canary-weight': 20,
      });
      expectSuccess(run);
      expect(run.outputs.changed).toBe('true');
      const { v1 = 0, v2 = 0 } = await tally(REQUESTS);
      expect(v1 + v2).toBe(REQUESTS);
      expect(Math.abs(v2 / REQUESTS - 0.2)).toBeLessThan(TOLERANCE);
      matchReportCorpus('shift-traffic-nginx-shift', run, { [nginx.prefix]: '/nginx-prefix' });
    });

    it("leaves the old file and traffic in place when nginx -t rejects the config, failing with nginx's words", async () => {
      const before = includeFile();
      const ledger = readLedgerFile(workspace);
      const run = await step('shift-traffic', workspace, {
        router: 'nginx',
        'router-config': routerConfig({ v2: ['127.0.0.1:99999'] }),
        'stable-version': 'v1',
        'canary-version': 'v2',
        'canary-weight': 50,
      });
      expect(expectCleanFailure(run)).toMatch(
        /^nginx rejected the new traffic config \('.* -t -q': .*invalid port in upstream "127.0.0.1:99999".*\), so nothing was changed: /,
      );
      expect(includeFile()).toBe(before);
      // The intent was journaled before nginx was asked; the router still serving the old split makes it failed.
      expect(readLedgerFile(workspace).slice(0, -2)).toEqual(ledger);
      expect(readLedgerFile(workspace).at(-1)).toMatchObject({ type: 'outcome', result: 'failed' });
      const counts = await tally(REQUESTS);
      expect(Math.abs((counts.v2 ?? 0) / REQUESTS - 0.2)).toBeLessThan(TOLERANCE);
    });

    it('rolls back to 100 % stable within the one step, healthy through nginx', async () => {
      const run = await step('rollback', workspace, {
        router: 'nginx',
        'router-config': routerConfig(),
        reason: 'canary 5xx',
        'health-url': site,
        'health-timeout': '5s',
      });
      expectSuccess(run);
      expect(run.outputs).toMatchObject({ 'from-version': 'v2', 'to-version': 'v1' });
      // Requests sent the moment the step has exited already all reach the stable version.
      expect(await tally(400)).toEqual({ v1: 400 });
      expect(JSON.parse(run.outputs.report ?? '')).toMatchObject({
        checks: [
          { name: 'health before', status: 'pass' },
          { name: 'health after', status: 'pass' },
        ],
        details: { healthAfter: { healthy: true, answer: 'HTTP 200' } },
      });
    });
  },
);
