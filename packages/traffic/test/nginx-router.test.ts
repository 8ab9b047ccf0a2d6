import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';
import { describeWithService } from '@recsys-actions/testkit';
import { NGINX_SERVICE, startNginx, type NginxInstance } from '@recsys-actions/testkit/services/nginx';
import { freePort } from '@recsys-actions/testkit/services/prometheus';
import {
  startVersionServer,
  tallyVersions,
  type VersionServer,
} from '@recsys-actions/testkit/services/upstream';
import {
  allTrafficTo,
  canarySplit,
  createRouter,
  NginxConfigDisagreementError,
  NginxUnreachableError,
  parseRouterConfig,
  renderNginxConfig,
  splitFromNginxConfig,
  splitSchema,
  SplitConflictError,
  type Router,
  type Split,
} from '../src/index';
import { applyObserved } from './apply-observed';

// Binomial sd of a 10 % share over 2000 draws is 0.67 %; ±2 % is three sd.
const TOLERANCE = 0.02;

describeWithService(NGINX_SERVICE, 'nginx router against a real nginx', (executable) => {
  let nginx: NginxInstance;
  let v1: VersionServer;
  let v2: VersionServer;
  let site: string;
  let includePath: string;
  let renderFields: Parameters<typeof renderNginxConfig>[1];
  let routerFields: Record<string, unknown>;
  let router: Router;

  const routerWith = (overrides: Record<string, unknown>) =>
    createRouter(parseRouterConfig('nginx', { ...routerFields, ...overrides }), {
      environment: 'production',
      workspace: nginx.prefix,
    });
  const tally = async (count: number, headersFor?: (request: number) => Record<string, string>) =>
    (await tallyVersions(site, count, headersFor)).tally;
  // An include written by hand (or by a run stopped before its reload), which the workers never loaded.
  const writeIncludeWithoutReload = (split: Split) =>
    writeFileSync(includePath, renderNginxConfig(split, renderFields).text);
  const reloads = () => nginx.errorLog().match(/\(SIGHUP\) received/g)?.length ?? 0;
  // What a run killed while nginx -t ran leaves on disk: a file nobody tested, here one nginx would reject.
  const writeUntestedInclude = () =>
    writeFileSync(includePath, 'upstream recsys { server 127.0.0.1:99999; }\n');
  const nginxTestPasses = () => {
    const [program = 'nginx', ...args] = nginx.testCommand;
    execFileSync(program, args, { stdio: 'pipe' });
  };

  beforeAll(async () => {
    [v1, v2] = await Promise.all([startVersionServer('v1'), startVersionServer('v2')]);
    const [sitePort, probePort] = [await freePort(), await freePort()];
    site = `http://127.0.0.1:${sitePort}/predict`;
    const fields = (renderFields = {
      upstream: 'recsys',
      servers: { v1: [v1.address], v2: [v2.address] },
      userKey: '$http_x_user_id',
      probeListen: `127.0.0.1:${probePort}`,
    });
    nginx = await startNginx({
      executable,
      files: { 'traffic.conf': renderNginxConfig(allTrafficTo('v1'), fields).text },
      http: `
    include {prefix}/traffic.conf;
    server {
        listen 127.0.0.1:${sitePort};
        location / { proxy_pass http://$recsys_upstream; }
    }`,
    });
    includePath = join(nginx.prefix, 'traffic.conf');
    routerFields = {
      ...fields,
      path: 'traffic.conf',
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
    };
    router = routerWith({});
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([v1?.close(), v2?.close()]);
  });

  it('reads the split it rendered', async () => {
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v1'));
    expect(await tally(50)).toEqual({ v1: 50 });
  });

  it('sends about 10 % of requests to a 10 % canary', async () => {
    await expect(applyObserved(router, canarySplit('v1', 'v2', 10))).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: true,
    });
    const counts = await tally(2000);
    expect(Object.keys(counts).sort()).toEqual(['v1', 'v2']);
    expect(Math.abs((counts.v2 ?? 0) / 2000 - 0.1)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('verifies the split nginx serves and names the revision it serves otherwise', async () => {
    await expect(router.verify(canarySplit('v1', 'v2', 10))).resolves.toBeUndefined();
    await expect(router.verify(allTrafficTo('v2'))).rejects.toThrow(
      /^nginx does not serve v2 100% \(per request\): the probe on .* answered revision [0-9a-f]{16}-[0-9a-f]{8} instead/,
    );
  });

  it('refuses to apply over a split it did not expect, without reloading', async () => {
    const before = reloads();
    const text = readFileSync(includePath, 'utf8');
    const attempt = router.apply(allTrafficTo('v2'), { expected: allTrafficTo('v1') });
    await expect(attempt).rejects.toThrow(SplitConflictError);
    await expect(attempt).rejects.toThrow(
      'changed while this step ran: expected v1 100% (per request), but it serves v1 90% / v2 10% (per request)',
    );
    expect(readFileSync(includePath, 'utf8')).toBe(text);
    expect(reloads()).toBe(before);
    expect(router.lockTarget).toBe(`nginx:${includePath}`);
  });

  it('does not touch nginx when the split is already in force', async () => {
    const before = reloads();
    const text = readFileSync(includePath, 'utf8');
    await expect(applyObserved(router, canarySplit('v1', 'v2', 10))).resolves.toMatchObject({
      changed: false,
    });
    expect(readFileSync(includePath, 'utf8')).toBe(text);
    expect(reloads()).toBe(before);
  });

  it('moves 100 % back within one reload', async () => {
    const before = reloads();
    await applyObserved(router, allTrafficTo('v1'));
    expect(reloads()).toBe(before + 1);
    expect(await tally(300)).toEqual({ v1: 300 });
  });

  it('leaves a weight-0 version out of the upstream entirely', async () => {
    const hitsBefore = v2.hits();
    const zero = splitSchema().parse({
      targets: [
        { version: 'v1', weight: 100 },
        { version: 'v2', weight: 0 },
      ],
      stickiness: 'request',
    });
    await applyObserved(router, zero);
    expect(readFileSync(includePath, 'utf8')).not.toContain(v2.address);
    expect(await tally(300)).toEqual({ v1: 300 });
    expect(v2.hits()).toBe(hitsBefore);
  });

  it('keeps each user on one version and sends about 10 % of users to the canary', async () => {
    await applyObserved(router, canarySplit('v1', 'v2', 10, 'user'));
    const users = await tally(2000, (request) => ({ 'X-User-Id': `user-${request}` }));
    expect(Math.abs((users.v2 ?? 0) / 2000 - 0.1)).toBeLessThanOrEqual(TOLERANCE);

    const firstVisit = (await tallyVersions(site, 200, (request) => ({ 'X-User-Id': `user-${request}` })))
      .byRequest;
    for (let visit = 0; visit < 3; visit++) {
      const again = (await tallyVersions(site, 200, (request) => ({ 'X-User-Id': `user-${request}` })))
        .byRequest;
      expect(again).toEqual(firstVisit);
    }
    expect(new Set(firstVisit)).toEqual(new Set(['v1', 'v2']));
  });

  it('keeps the old file and traffic when nginx -t rejects the config, quoting nginx', async () => {
    await applyObserved(router, canarySplit('v1', 'v2', 10));
    const before = readFileSync(includePath);
    const broken = routerWith({ servers: { v1: [v1.address], v3: ['127.0.0.1:99999'] } });
    const attempt = applyObserved(broken, canarySplit('v1', 'v3', 50));
    await expect(attempt).rejects.toThrow(UserFacingError);
    await expect(attempt).rejects.toThrow(
      /nginx rejected the new traffic config .*invalid port in upstream "127\.0\.0\.1:99999"/,
    );
    expect(readFileSync(includePath).equals(before)).toBe(true);
    const counts = await tally(2000);
    expect(Object.keys(counts).sort()).toEqual(['v1', 'v2']);
    expect(Math.abs((counts.v2 ?? 0) / 2000 - 0.1)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('restores the file when the reload command fails', async () => {
    const before = readFileSync(includePath);
    const failing = routerWith({
      reloadCommand: ['/bin/sh', '-c', 'echo "nginx: [alert] kill(4242, 1) failed" >&2; exit 1'],
    });
    await expect(applyObserved(failing, allTrafficTo('v2'))).rejects.toThrow(
      /could not be reloaded .*nginx: \[alert\] kill\(4242, 1\) failed/,
    );
    expect(readFileSync(includePath).equals(before)).toBe(true);
  });

  it('fails and restores when nginx never serves the new config', async () => {
    const before = readFileSync(includePath);
    // `true` stands for a reload signal that nginx swallowed: the command succeeds, the workers never change.
    const silent = routerWith({ reloadCommand: 'true', reloadTimeoutMs: 400 });
    await expect(applyObserved(silent, allTrafficTo('v2'))).rejects.toThrow(
      /did not serve the new traffic config within 400 ms/,
    );
    expect(readFileSync(includePath).equals(before)).toBe(true);
    expect(Object.keys(await tally(200)).sort()).toEqual(['v1', 'v2']);
  });

  it('says which program it could not run', async () => {
    const before = readFileSync(includePath);
    const missing = routerWith({ testCommand: 'no-such-nginx -t' });
    await expect(applyObserved(missing, allTrafficTo('v2'))).rejects.toThrow(
      "could not run 'no-such-nginx' (ENOENT)",
    );
    expect(readFileSync(includePath).equals(before)).toBe(true);
  });

  it('refuses a split naming a version without servers before writing anything', async () => {
    const before = readFileSync(includePath);
    const reloadsBefore = reloads();
    await expect(applyObserved(router, canarySplit('v1', 'v9', 10))).rejects.toThrow(
      "config for router 'nginx' has no servers for version 'v9' (configured: v1, v2)",
    );
    expect(readFileSync(includePath).equals(before)).toBe(true);
    expect(reloads()).toBe(reloadsBefore);
  });

  it('refuses a config path it cannot write, changing nothing', async () => {
    writeFileSync(join(nginx.prefix, 'not-a-directory'), '');
    const unwritable = routerWith({ path: 'not-a-directory/traffic.conf' });
    // Not observed first: the probe belongs to the include nginx does load, so observe() would say they disagree.
    await expect(unwritable.apply(allTrafficTo('v1'), { expected: undefined })).rejects.toThrow(
      /cannot write the traffic config .*not-a-directory\/traffic\.conf \(ENOTDIR/,
    );
    expect(readFileSync(join(nginx.prefix, 'not-a-directory'), 'utf8')).toBe('');
  });

  it('observes the split the live nginx serves after an apply', async () => {
    await applyObserved(router, allTrafficTo('v2'));
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v2'));
    expect(await tally(100)).toEqual({ v2: 100 });
  });

  it('does not report an include nginx has not loaded as live', async () => {
    writeIncludeWithoutReload(canarySplit('v1', 'v2', 50));
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v2'));
    expect(await tally(100)).toEqual({ v2: 100 });

    // Without the copy the router keeps of what it served, nothing says which split is live: it says so.
    const servedCopy = `${includePath}.served`;
    renameSync(servedCopy, `${servedCopy}.aside`);
    try {
      const attempt = router.observe();
      await expect(attempt).rejects.toThrow(NginxConfigDisagreementError);
      await expect(attempt).rejects.toThrow(
        /traffic\.conf and the live nginx disagree: the probe answers revision [0-9a-f]{16}-[0-9a-f]{8}.*Run 'nginx -t && nginx -s reload'/,
      );
    } finally {
      renameSync(`${servedCopy}.aside`, servedCopy);
    }
  });

  it('judges "changed" by what nginx serves, not by the include', async () => {
    // The include says 50/50 but nginx serves v2: applying v2 changes no traffic and puts the include back.
    let before = reloads();
    await expect(applyObserved(router, allTrafficTo('v2'))).resolves.toEqual({
      previous: allTrafficTo('v2'),
      changed: false,
    });
    expect(reloads()).toBe(before);
    expect(splitFromNginxConfig(readFileSync(includePath, 'utf8'))).toEqual(allTrafficTo('v2'));

    // The include already says 50/50, but nginx does not serve it yet: applying 50/50 must reload.
    writeIncludeWithoutReload(canarySplit('v1', 'v2', 50));
    before = reloads();
    await expect(applyObserved(router, canarySplit('v1', 'v2', 50))).resolves.toEqual({
      previous: allTrafficTo('v2'),
      changed: true,
    });
    expect(reloads()).toBe(before + 1);
    await expect(router.observe()).resolves.toEqual(canarySplit('v1', 'v2', 50));
    expect(Object.keys(await tally(200)).sort()).toEqual(['v1', 'v2']);
  });

  it('says nginx does not answer instead of trusting the include', async () => {
    const unanswered = routerWith({ probeListen: `127.0.0.1:${await freePort()}` });
    const before = readFileSync(includePath);
    await expect(unanswered.observe()).rejects.toThrow(NginxUnreachableError);
    await expect(unanswered.observe()).rejects.toThrow(
      /^Cannot tell what nginx serves: nothing answers the traffic probe on 127\.0\.0\.1:\d+, which .*traffic\.conf defines/,
    );
    await expect(applyObserved(unanswered, allTrafficTo('v1'))).rejects.toThrow(NginxUnreachableError);
    expect(readFileSync(includePath).equals(before)).toBe(true);
  });

  it('reports what nginx serves over an untested include a dead run left, and puts the served bytes back', async () => {
    const live = canarySplit('v1', 'v2', 50);
    await expect(router.observe()).resolves.toEqual(live);
    const served = readFileSync(includePath, 'utf8');
    writeUntestedInclude();
    await expect(router.observe()).resolves.toEqual(live);

    const before = reloads();
    await expect(applyObserved(router, live)).resolves.toEqual({ previous: live, changed: false });
    expect(reloads()).toBe(before);
    expect(readFileSync(includePath, 'utf8')).toBe(served);
    expect(nginxTestPasses).not.toThrow();
  });

  it('applies a new split over an untested include a dead run left', async () => {
    const live = await router.observe();
    writeUntestedInclude();
    await expect(applyObserved(router, allTrafficTo('v1'))).resolves.toEqual({
      previous: live,
      changed: true,
    });
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v1'));
    expect(await tally(100)).toEqual({ v1: 100 });
  });

  it('keeps the served config beside the include before writing, so a run killed in nginx -t is undone', async () => {
    // As before the router's first apply: nginx serves an include of which no copy was kept.
    rmSync(`${includePath}.served`);
    const served = readFileSync(includePath);
    const atDeath = join(nginx.prefix, 'at-death');
    // The test command photographs the include and the kept copy as they are while nginx -t runs, then fails.
    const dying = routerWith({
      testCommand: [
        '/bin/sh',
        '-c',
        `mkdir -p ${atDeath} && cp ${includePath} ${includePath}.served ${atDeath}/ && exit 1`,
      ],
    });
    await expect(applyObserved(dying, canarySplit('v1', 'v2', 30))).rejects.toThrow(
      /rejected the new traffic config/,
    );

    // Put the files back as a run killed at that moment would have left them.
    copyFileSync(join(atDeath, 'traffic.conf'), includePath);
    copyFileSync(join(atDeath, 'traffic.conf.served'), `${includePath}.served`);
    expect(splitFromNginxConfig(readFileSync(includePath, 'utf8'))).toEqual(canarySplit('v1', 'v2', 30));
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v1'));

    const before = reloads();
    await expect(applyObserved(router, allTrafficTo('v1'))).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: false,
    });
    expect(reloads()).toBe(before);
    expect(readFileSync(includePath).equals(served)).toBe(true);
  });

  it('leaves the previous bytes and traffic when the test command fails, saying nothing was changed', async () => {
    const before = readFileSync(includePath);
    const reloadsBefore = reloads();
    const failing = routerWith({
      testCommand: ['/bin/sh', '-c', 'echo "nginx: [emerg] unexpected end of file" >&2; exit 1'],
    });
    const attempt = applyObserved(failing, allTrafficTo('v2'));
    await expect(attempt).rejects.toThrow(UserFacingError);
    await expect(attempt).rejects.toThrow(
      /^nginx rejected the new traffic config \('\/bin\/sh -c .*: nginx: \[emerg\] unexpected end of file \['\/bin\/sh -c .*' exited with code 1\]\), so nothing was changed: \/.*\/traffic\.conf holds the config nginx serves again \(v1 100% \(per request\)\)\.$/,
    );
    expect(readFileSync(includePath).equals(before)).toBe(true);
    expect(reloads()).toBe(reloadsBefore);
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v1'));
    expect(await tally(100)).toEqual({ v1: 100 });
  });

  it('keeps a symlinked include a symlink with its mode and owner, on apply and on restore', async () => {
    const target = join(nginx.prefix, 'config-repo', 'traffic.conf');
    mkdirSync(join(nginx.prefix, 'config-repo'));
    renameSync(includePath, target);
    symlinkSync('config-repo/traffic.conf', includePath);
    chmodSync(target, 0o640);
    // Root can hand the file to someone else, which is what a rewrite must then keep.
    if (process.getuid?.() === 0) chownSync(target, 65534, 65534);
    const { uid, gid } = statSync(target);
    const expectKept = () => {
      expect(lstatSync(includePath).isSymbolicLink()).toBe(true);
      expect(readlinkSync(includePath)).toBe('config-repo/traffic.conf');
      const now = statSync(target);
      expect({ mode: now.mode & 0o7777, uid: now.uid, gid: now.gid }).toEqual({ mode: 0o640, uid, gid });
    };

    await expect(applyObserved(router, canarySplit('v1', 'v2', 20))).resolves.toMatchObject({
      changed: true,
    });
    expectKept();
    expect(splitFromNginxConfig(readFileSync(target, 'utf8'))).toEqual(canarySplit('v1', 'v2', 20));
    expect(Object.keys(await tally(200)).sort()).toEqual(['v1', 'v2']);

    const served = readFileSync(target);
    const broken = routerWith({ servers: { v1: [v1.address], v3: ['127.0.0.1:99999'] } });
    await expect(applyObserved(broken, canarySplit('v1', 'v3', 50))).rejects.toThrow(
      /rejected the new traffic config .*invalid port/,
    );
    expectKept();
    expect(readFileSync(target).equals(served)).toBe(true);

    writeUntestedInclude();
    await expect(applyObserved(router, canarySplit('v1', 'v2', 20))).resolves.toMatchObject({
      changed: false,
    });
    expectKept();
    expect(readFileSync(target).equals(served)).toBe(true);
  });
});
