import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, UserFacingError } from '@recsys-actions/core';
import { allTrafficTo, canarySplit, createRouter, parseRouterConfig, SplitConflictError } from '../src/index';
import { applyObserved } from './apply-observed';

function setup(config: unknown = undefined) {
  const workspace = mkdtempSync(join(tmpdir(), 'traffic-file-'));
  const router = createRouter(parseRouterConfig('file', config), { environment: 'production', workspace });
  return { workspace, router, file: join(workspace, 'traffic', 'production.json') };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('file router', () => {
  it('starts with no split and writes traffic/<environment>.json on the first apply', async () => {
    const { router, file } = setup();
    await expect(router.observe()).resolves.toBeUndefined();
    await expect(applyObserved(router, allTrafficTo('v1'))).resolves.toEqual({
      previous: undefined,
      changed: true,
    });
    expect(readJson(file)).toEqual({
      environment: 'production',
      revision: 1,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      split: { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request' },
    });
    await expect(router.observe()).resolves.toEqual(allTrafficTo('v1'));
  });

  it('returns the previous split and bumps the revision only when the split changes', async () => {
    const { router, file } = setup();
    await applyObserved(router, allTrafficTo('v1'));
    const canary = canarySplit('v1', 'v2', 10);
    await expect(applyObserved(router, canary)).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: true,
    });
    const written = readFileSync(file, 'utf8');
    const modified = statSync(file).mtimeMs;

    await expect(applyObserved(router, canarySplit('v1', 'v2', 10))).resolves.toEqual({
      previous: canary,
      changed: false,
    });
    expect(readFileSync(file, 'utf8')).toBe(written);
    expect(statSync(file).mtimeMs).toBe(modified);
    expect(readJson(file).revision).toBe(2);

    await applyObserved(router, allTrafficTo('v2'));
    expect(readJson(file).revision).toBe(3);
    // Only the traffic file itself is left behind: no temporary siblings, no lock.
    expect(readdirSync(join(file, '..'))).toEqual(['production.json']);
  });

  it('honours a configured path with the {environment} placeholder', async () => {
    const { router, workspace } = setup({ path: 'deploy/{environment}/split.json' });
    await applyObserved(router, allTrafficTo('v1'));
    expect(readJson(join(workspace, 'deploy', 'production', 'split.json')).revision).toBe(1);
  });

  it('refuses a path outside the workspace', () => {
    expect(() => setup({ path: '../elsewhere.json' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        problem: "for router 'file' points outside the workspace ('../elsewhere.json')",
      }),
    );
  });

  it('reports a damaged traffic file as a data error naming the file', async () => {
    const { router, file } = setup();
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '{"revision": 1');
    await expect(router.observe()).rejects.toThrow(DataError);
    await expect(router.observe()).rejects.toThrow('traffic/production.json: is not valid JSON');
    writeFileSync(
      file,
      JSON.stringify({ environment: 'production', revision: 1, updatedAt: 'x', split: {} }),
    );
    await expect(applyObserved(router, allTrafficTo('v1'))).rejects.toThrow(
      'is not a traffic file: is invalid at split.targets:',
    );
  });

  it('refuses to apply, changing nothing, when the file no longer holds the expected split', async () => {
    const { router, file } = setup();
    await applyObserved(router, allTrafficTo('v1'));
    const written = readFileSync(file, 'utf8');
    const attempt = router.apply(allTrafficTo('v3'), { expected: canarySplit('v1', 'v2', 10) });
    await expect(attempt).rejects.toThrow(SplitConflictError);
    await expect(attempt).rejects.toThrow(
      'traffic/production.json changed while this step ran: expected v1 90% / v2 10% (per request), ' +
        'but it serves v1 100% (per request).',
    );
    await expect(router.apply(allTrafficTo('v3'), { expected: undefined })).rejects.toThrow(
      'expected no split yet, but it serves v1 100% (per request)',
    );
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('verifies the split the file holds and names what it holds otherwise', async () => {
    const { router } = setup();
    await expect(router.verify(allTrafficTo('v1'))).rejects.toThrow(UserFacingError);
    await applyObserved(router, canarySplit('v1', 'v2', 25));
    await expect(router.verify(canarySplit('v1', 'v2', 25))).resolves.toBeUndefined();
    await expect(router.verify(allTrafficTo('v2'))).rejects.toThrow(
      'traffic/production.json does not hold v2 100% (per request) after the change, but v1 75% / v2 25%',
    );
  });

  it('names its lock target by the resolved traffic file and holds no credentials', () => {
    const { router, file } = setup();
    expect(router.lockTarget).toBe(`file:${file}`);
    expect(router.credentials).toEqual([]);
  });
});
