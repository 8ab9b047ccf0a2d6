import {
  describeWithService,
  expectCleanFailure,
  matchReportCorpus,
  workspaceWith,
} from '@recsys-actions/testkit';
import { NGINX_SERVICE, type NginxInstance } from '@recsys-actions/testkit/services/nginx';
import { startRoutedSite, type RoutedSite } from '@recsys-actions/testkit/services/routed-site';
import { hitsSince, tallyVersions, type VersionServer } from '@recsys-actions/testkit/services/upstream';
import { allTrafficTo, renderNginxConfig } from '@recsys-actions/traffic';
import { expectSuccess, journalSummary, snapshot, step, trafficFile } from './helpers';

const REQUESTS = 2000;

describeWithService(NGINX_SERVICE, 'shadow releases through a real nginx (built dists)', (executable) => {
  let routed: RoutedSite<['v1', 'v2']>;
  let nginx: NginxInstance;
  let champion: VersionServer;
  let challenger: VersionServer;
  let site: string;
  let routerConfig: string;
  const workspace = workspaceWith({});

  /** The inputs of a shadow of v2 at `percent` through the nginx router. */
  const shadowOf = (percent: number) => ({
    router: 'nginx',
    'router-config': routerConfig,
    'canary-version': 'v2',
    mode: 'shadow',
    'shadow-percent': percent,
  });
  const mirroredSince = (start: number, count: number) => hitsSince(challenger, start, count);

  beforeAll(async () => {
    routed = await startRoutedSite(executable, {
      versions: ['v1', 'v2'],
      render: (fields) => renderNginxConfig(allTrafficTo('v1'), fields).text,
    });
    ({
      nginx,
      servers: [champion, challenger],
    } = routed);
    site = `${routed.url}/recommend?user=42`;
    routerConfig = JSON.stringify(routed.routerConfig);
  });

  afterAll(async () => {
    await routed?.stop();
  });

  it('mode: shadow at 100 %: every answer comes from the champion, the challenger receives every request', async () => {
    const run = await step('shift-traffic', workspace, shadowOf(100));
    expectSuccess(run);
    const shadow = { ...allTrafficTo('v1'), mirror: { version: 'v2', percent: 100 } };
    expect(JSON.parse(run.outputs.split ?? '')).toEqual(shadow);
    expect(run.outputs).toMatchObject({ changed: 'true', 'stable-version': 'v1' });
    const report = JSON.parse(run.outputs.report ?? '') as { title: string };
    expect(report.title).toBe(
      'production now shadows v2: 100 % of requests are copied to it, while every answer still comes from v1.',
    );
    const [championBefore, challengerBefore] = [champion.hits(), challenger.hits()];
    expect((await tallyVersions(site, REQUESTS)).tally).toEqual({ v1: REQUESTS });
    expect(champion.hits() - championBefore).toBe(REQUESTS);
    expect(await mirroredSince(challengerBefore, REQUESTS)).toBe(REQUESTS);
    expect(journalSummary(workspace)).toEqual(['intent shift v2 v1:100', 'outcome applied']);
    matchReportCorpus('shift-traffic-nginx-shadow', run, { [nginx.prefix]: '/nginx-prefix' });
  });

  it('a re-run of a shadow step in the same workflow run does nothing again', async () => {
    const inputs = shadowOf(50);
    const run = await step('shift-traffic', workspace, inputs, { env: { GITHUB_RUN_ID: '777' } });
    expectSuccess(run);
    expect(run.outputs.changed).toBe('true');
    const again = await step('shift-traffic', workspace, inputs, { env: { GITHUB_RUN_ID: '777' } });
    expectSuccess(again);
    expect(again.outputs.changed).toBe('false');
    expect(JSON.parse(again.outputs.report ?? '')).toMatchObject({ details: { repeated: true } });
  });

  it('rollback from the shadow version ends the shadow and says so; answers stay with the champion', async () => {
    const run = await step('rollback', workspace, {
      router: 'nginx',
      'router-config': routerConfig,
      'from-version': 'v2',
      reason: 'challenger lists disagree',
    });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ 'from-version': '', 'to-version': 'v1', 'ended-shadow': 'v2' });
    const report = JSON.parse(run.outputs.report ?? '') as {
      title: string;
      notes: string[];
      details: { endedShadow: string; split: unknown };
    };
    expect(report.title).toMatch(
      /^production ended the shadow of v2 in \d+ ms; v1 keeps answering every request\.$/,
    );
    expect(report.notes).toContain(
      'The shadow of v2 ended: it no longer receives mirrored requests (50 % of requests). It took no traffic, so users only ever saw answers from the versions in the split.',
    );
    expect(report.details).toMatchObject({ endedShadow: 'v2', split: allTrafficTo('v1') });
    const before = challenger.hits();
    expect((await tallyVersions(site, 300)).tally).toEqual({ v1: 300 });
    expect(await mirroredSince(before, 0)).toBe(0);
    matchReportCorpus('rollback-nginx-shadow-ended', run, { [nginx.prefix]: '/nginx-prefix' });
  });

  it('a re-run of the rollback that ended a shadow says it ended the shadow, and does nothing again', async () => {
    expectSuccess(await step('shift-traffic', workspace, shadowOf(50)));
    const rollback = () =>
      step(
        'rollback',
        workspace,
        { router: 'nginx', 'router-config': routerConfig, 'from-version': 'v2', reason: 'lists disagree' },
        { env: { GITHUB_RUN_ID: '917001' } },
      );
    expectSuccess(await rollback());
    const rerun = await rollback();
    expectSuccess(rerun);
    expect(JSON.parse(rerun.outputs.report ?? '').title).toBe(
      'This rollback already ran in this workflow run: production ended the shadow of v2, and v1 kept answering every request; nothing was done again.',
    );
  });

  it('a shift after a shadow at 25 % ends it too, and says so', async () => {
    const shadow = await step('shift-traffic', workspace, shadowOf(25));
    expectSuccess(shadow);
    const canary = await step('shift-traffic', workspace, {
      router: 'nginx',
      'router-config': routerConfig,
      'canary-version': 'v2',
      'canary-weight': 10,
    });
    expectSuccess(canary);
    const report = JSON.parse(canary.outputs.report ?? '') as { notes: string[] };
    expect(report.notes).toContain('This step ended the shadow of v2 (25 % of requests were copied to it).');
    expect(JSON.parse(canary.outputs.split ?? '')).not.toHaveProperty('mirror');
  });
});

describe('shift-traffic mode: shadow refusals', () => {
  const shadow = { 'stable-version': 'v1', 'canary-version': 'v2', mode: 'shadow', 'shadow-percent': '10' };

  it('refuses a router that cannot mirror, naming the input and changing nothing', async () => {
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const before = snapshot(workspace);
    const run = await step('shift-traffic', workspace, shadow);
    expect(expectCleanFailure(run)).toMatch(
      /^Input 'mode' is 'shadow', but file .*traffic\/production.json cannot mirror requests; use a router that can \(nginx, istio\) or a canary. Example: mode: canary$/,
    );
    expect(snapshot(workspace)).toEqual(before);
  });

  it.each([
    [
      'no shadow-percent',
      { 'shadow-percent': '' },
      /^Input 'shadow-percent' is required with mode: shadow: the percent of requests copied to canary-version. Example: shadow-percent: 10$/,
    ],
    [
      'a shadow-percent of 0',
      { 'shadow-percent': '0' },
      /^Input 'shadow-percent' must be at least 1, got '0'. Example: shadow-percent: 10$/,
    ],
    [
      'a canary weight with a shadow',
      { 'canary-weight': '10' },
      /^Input 'canary-weight' must be empty or 0 with mode: shadow, got '10': a shadow takes no traffic/,
    ],
    [
      'a shadow-percent with mode: canary',
      { mode: 'canary', 'canary-weight': '10' },
      /^Input 'shadow-percent' is only read with mode: shadow \(mode is 'canary'\); remove it or set mode: shadow/,
    ],
    ['an unknown mode', { mode: 'mirror' }, /^Input 'mode' must be one of canary, shadow, got 'mirror'/],
  ])('refuses %s', async (_name, inputs, message) => {
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const run = await step('shift-traffic', workspace, { ...shadow, ...inputs });
    expect(expectCleanFailure(run)).toMatch(message);
  });
});
