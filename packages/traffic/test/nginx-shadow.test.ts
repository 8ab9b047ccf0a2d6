import { describeWithService } from '@recsys-actions/testkit';
import { NGINX_SERVICE } from '@recsys-actions/testkit/services/nginx';
import { startRoutedSite, type RoutedSite } from '@recsys-actions/testkit/services/routed-site';
import { hitsSince, tallyVersions, type VersionServer } from '@recsys-actions/testkit/services/upstream';
import {
  allTrafficTo,
  createRouter,
  parseRouterConfig,
  renderNginxConfig,
  shadowSplit,
  type Router,
} from '../src/index';
import { applyObserved } from './apply-observed';

// Binomial sd of a 25 % share over 2000 draws is 0.97 %; ±3 % is three sd.
const TOLERANCE = 0.03;

describeWithService(NGINX_SERVICE, 'nginx router shadows against a real nginx', (executable) => {
  let routed: RoutedSite<['v1', 'v2']>;
  let champion: VersionServer;
  let challenger: VersionServer;
  let site: string;
  let router: Router;

  const mirroredSince = (start: number, count: number) => hitsSince(challenger, start, count);

  beforeAll(async () => {
    routed = await startRoutedSite(executable, {
      versions: ['v1', 'v2'],
      userKey: '$arg_user',
      render: (fields) => renderNginxConfig(allTrafficTo('v1'), fields).text,
    });
    [champion, challenger] = routed.servers;
    site = `${routed.url}/predict?user=7`;
    router = createRouter(parseRouterConfig('nginx', routed.routerConfig), {
      environment: 'production',
      workspace: routed.nginx.prefix,
    });
  });

  afterAll(async () => {
    await routed?.stop();
  });

  it('says it can mirror', () => {
    expect(router.canMirror).toBe(true);
  });

  it('serves the champion alone while no shadow runs: the shadow location answers itself', async () => {
    const before = challenger.hits();
    expect((await tallyVersions(site, 200)).tally).toEqual({ v1: 200 });
    expect(await mirroredSince(before, 0)).toBe(0);
  });

  it('at 100 %, answers 2000 requests from the champion while the challenger receives every one mirrored', async () => {
    const shadow = shadowSplit(allTrafficTo('v1'), 'v2', 100);
    await expect(applyObserved(router, shadow)).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: true,
    });
    await expect(router.observe()).resolves.toEqual(shadow);
    await expect(router.verify(shadow)).resolves.toBeUndefined();
    const [championBefore, challengerBefore] = [champion.hits(), challenger.hits()];
    expect((await tallyVersions(site, 2000)).tally).toEqual({ v1: 2000 });
    expect(champion.hits() - championBefore).toBe(2000);
    expect(await mirroredSince(challengerBefore, 2000)).toBe(2000);
  });

  it('at 25 %, mirrors about a quarter of the requests', async () => {
    const shadow = shadowSplit(allTrafficTo('v1'), 'v2', 25);
    await applyObserved(router, shadow);
    await expect(router.observe()).resolves.toEqual(shadow);
    const before = challenger.hits();
    expect((await tallyVersions(site, 2000)).tally).toEqual({ v1: 2000 });
    const mirrored = await mirroredSince(before, 2000 * (0.25 - TOLERANCE));
    expect(Math.abs(mirrored / 2000 - 0.25)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('ends the shadow with a split that has none: nothing reaches the challenger any more', async () => {
    await applyObserved(router, allTrafficTo('v1'));
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v1'));
    const before = challenger.hits();
    expect((await tallyVersions(site, 300)).tally).toEqual({ v1: 300 });
    expect(await mirroredSince(before, 0)).toBe(0);
  });

  it('refuses a shadow version without servers, touching nothing', async () => {
    await expect(router.check(shadowSplit(allTrafficTo('v1'), 'v3', 10))).rejects.toThrow(
      "for router 'nginx' has no servers for version 'v3' (configured: v1, v2)",
    );
  });
});
