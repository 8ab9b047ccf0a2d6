import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createFileLedger, type Ledger } from '@recsys-actions/ledger';
import {
  allTrafficTo,
  canarySplit,
  createRouter,
  parseRouterConfig,
  registerRouterBackend,
  routerTypes,
  sameSplit,
  shadowSplit,
  SplitConflictError,
  type Router,
  type Split,
} from '@recsys-actions/traffic';
import { rollBack, shiftTraffic, stepLockPath, withStepLock } from '../src/index';

/**
 * A router kept in memory, registered the way any new backend is: the release use cases must drive it through
 * the contract alone (observe, apply with expected, verify, lockTarget), knowing nothing of its config.
 */
const served = new Map<string, Split>();
/** A split observe answers once instead of what serves: nginx's old workers, still answering during a reload. */
const staleOnce = new Map<string, Split>();
const calls: string[] = [];

function memoryRouter(config: { zone: string; mirrors: boolean }, environment: string): Router {
  const key = `${config.zone}/${environment}`;
  return {
    description: `memory ${key}`,
    lockTarget: `memory:${key}`,
    credentials: [],
    canMirror: config.mirrors,
    async check() {
      calls.push('check');
    },
    async observe() {
      calls.push('observe');
      const stale = staleOnce.get(key);
      staleOnce.delete(key);
      return stale ?? served.get(key);
    },
    async apply(split, { expected }) {
      calls.push('apply');
      const previous = served.get(key);
      if (!sameSplit(previous, expected)) throw new SplitConflictError(key, expected, previous);
      if (sameSplit(previous, split)) return { previous, changed: false };
      served.set(key, split);
      return { previous, changed: true };
    },
    async verify(split) {
      calls.push('verify');
      if (!sameSplit(served.get(key), split)) throw new Error('not serving');
    },
  };
}

registerRouterBackend({
  type: 'memory',
  configSchema: z.object({ zone: z.string().default('eu'), mirrors: z.boolean().default(false) }).strict(),
  example: '{ zone: eu }',
  create: (config, context) => memoryRouter(config, context.environment),
});

function setup(zone: string, mirrors = false) {
  const workspace = mkdtempSync(join(tmpdir(), 'release-fake-router-'));
  const place = { environment: 'production', workspace };
  const router = createRouter(parseRouterConfig('memory', { zone, mirrors }), place);
  const ledger = createFileLedger(place);
  calls.length = 0;
  return { router, ledger, place };
}

const run = { actor: 'octocat', sha: 'abc1234' };
const shadowOf = (percent: number) => ({
  key: `shadow-${percent}`,
  canary: 'v2',
  weight: 0,
  shadowPercent: percent,
  stickiness: 'request' as const,
});
const shiftTo = (weight: number, key = `shift-${weight}`) => ({
  key,
  stable: 'v1',
  canary: 'v2',
  weight,
  stickiness: 'request' as const,
});

/**
 * Promotes v2, then v3 (all traffic to each in turn); then a run's rollback of v3 back to v2 journals its intent
 * under `key`, moves traffic and dies before its outcome. Returns that unfinished step.
 */
async function rollbackOfV3ThatDies(router: Router, ledger: Ledger, key: string) {
  for (const [stable, canary] of [
    ['v1', 'v2'],
    ['v2', 'v3'],
  ] as const) {
    const promote = { key: `promote-${canary}`, stable, canary, weight: 100, stickiness: 'request' as const };
    await shiftTraffic(router, ledger, promote, run);
  }
  const { state } = await ledger.read(key);
  const step = await ledger.begin({
    type: 'intent',
    key,
    step: 'rollback',
    version: 'v2',
    from: allTrafficTo('v3'),
    to: allTrafficTo('v2'),
    leaving: ['v3'],
    before: state,
    actor: 'octocat',
    timestamp: new Date().toISOString(),
  });
  await router.apply(allTrafficTo('v2'), { expected: allTrafficTo('v3') });
  return step;
}

describe('release use cases on a registered fake router', () => {
  it('lists the registered router and locks on its own target', () => {
    const { router, place } = setup('lock');
    // Registered after the built-in routers, whichever those are.
    expect(routerTypes().slice(0, 2)).toEqual(['file', 'nginx']);
    expect(routerTypes().at(-1)).toBe('memory');
    expect(stepLockPath(router, place.environment)).toBe(
      stepLockPath(createRouter(parseRouterConfig('memory', { zone: 'lock' }), place), place.environment),
    );
    expect(() => parseRouterConfig('memory', { region: 'us' })).toThrow(
      "for router 'memory' has an unknown key 'region'",
    );
  });

  it('shifts with the observed split as expected, verifies, and journals intent and outcome', async () => {
    const { router, ledger, place } = setup('shift');
    served.set('shift/production', allTrafficTo('v1'));
    const outcome = await withStepLock(router, place.environment, () =>
      shiftTraffic(router, ledger, shiftTo(10), run),
    );
    expect(outcome).toMatchObject({ previous: allTrafficTo('v1'), changed: true, stable: 'v1' });
    expect(outcome.journal).toEqual({ key: 'shift-10', outcome: 'applied', reconciled: [] });
    expect(served.get('shift/production')).toEqual(canarySplit('v1', 'v2', 10));
    expect(calls).toEqual(['observe', 'check', 'apply', 'verify']);

    calls.length = 0;
    const again = await shiftTraffic(router, ledger, shiftTo(10), run);
    expect(again).toMatchObject({ changed: false, repeated: true, journal: { outcome: null } });
    expect(calls).toEqual(['observe']);
  });

  it('a re-run of a step a rollback since replaced changes nothing, and says the rollback stays in force', async () => {
    const { router, ledger } = setup('replaced');
    served.set('replaced/production', allTrafficTo('v1'));
    await shiftTraffic(router, ledger, shiftTo(100), run);
    const rollback = { key: 'rollback-2', environment: 'production', reason: 'p95 up' };
    await rollBack(router, ledger, rollback, run);
    expect(served.get('replaced/production')).toEqual(allTrafficTo('v1'));

    const again = await shiftTraffic(router, ledger, shiftTo(100), run);
    expect(again).toMatchObject({ changed: false, repeated: true, split: allTrafficTo('v2') });
    expect(again.warnings).toEqual([
      'This step already ran in this workflow run and put v2 100% (per request) in force, since replaced: the router now serves v1 100% (per request), and this re-run leaves that in place.',
    ]);
    expect(served.get('replaced/production')).toEqual(allTrafficTo('v1'));
  });

  it('rolls back to the stable version over the split it observed', async () => {
    const { router, ledger } = setup('rollback');
    served.set('rollback/production', allTrafficTo('v1'));
    await shiftTraffic(router, ledger, shiftTo(25), run);
    calls.length = 0;

    const request = { key: 'rollback-1', environment: 'production', reason: 'p95 up' };
    const outcome = await rollBack(router, ledger, request, run);
    expect(outcome).toMatchObject({ from: ['v2'], to: 'v1', changed: true, journal: { outcome: 'applied' } });
    expect(served.get('rollback/production')).toEqual(allTrafficTo('v1'));
    expect(calls).toEqual(['observe', 'check', 'apply', 'verify']);
  });

  it("carries what a dead run's unfinished rollback took out into the state it records, so no later rollback goes back to it", async () => {
    const { router, ledger } = setup('dead-run');
    served.set('dead-run/production', allTrafficTo('v1'));
    // A run rolls v3 back to v2 and dies before recording the outcome.
    await rollbackOfV3ThatDies(router, ledger, 'dead');

    const second = await rollBack(
      router,
      ledger,
      { key: 'second', environment: 'production', reason: 'v2 too' },
      run,
    );
    expect(second).toMatchObject({ to: 'v1', changed: true });
    // Its split serves, so it took effect: the next step records that before it decides.
    expect(second.journal.reconciled).toEqual([{ key: 'dead', result: 'applied' }]);
    const third = rollBack(
      router,
      ledger,
      { key: 'third', environment: 'production', reason: 'v1 too' },
      run,
    );
    await expect(third).rejects.toThrow('No known good version to roll back production to');
    expect(served.get('dead-run/production')).toEqual(allTrafficTo('v1'));
  });

  it('records a rollback found in force after its own attempt was judged never to have taken effect, so no later rollback goes back', async () => {
    const { router, ledger } = setup('reloading');
    served.set('reloading/production', allTrafficTo('v1'));
    // The rollback of v3 moves traffic and dies. Its re-run saw v3 still answering (the old workers of a reload),
    // so it recorded the attempt as never having taken effect.
    const step = await rollbackOfV3ThatDies(router, ledger, 'rerun');
    await ledger.finish(step, {
      type: 'outcome',
      key: 'rerun',
      result: 'abandoned',
      actor: 'octocat',
      timestamp: new Date().toISOString(),
    });

    // Observed stale once more, the re-run moves from v3 and conflicts with its own split, which serves.
    staleOnce.set('reloading/production', allTrafficTo('v3'));
    const request = { key: 'rerun', environment: 'production', reason: 'v3 bad', fromVersion: 'v3' };
    const rerun = await rollBack(router, ledger, request, run);
    expect(rerun).toMatchObject({ to: 'v2', changed: false, journal: { outcome: 'unchanged' } });
    expect((await ledger.read('any')).state.rolledBack).toContain('v3');

    const later = await rollBack(
      router,
      ledger,
      { key: 'later', environment: 'production', reason: 'v2 too' },
      run,
    );
    expect(later).toMatchObject({ from: ['v2'], to: 'v1' });
    expect(served.get('reloading/production')).toEqual(allTrafficTo('v1'));
  });

  it('refuses a shadow on a router that cannot mirror before it observes or journals anything', async () => {
    const { router, ledger } = setup('no-mirror');
    served.set('no-mirror/production', allTrafficTo('v1'));
    const attempt = shiftTraffic(router, ledger, shadowOf(10), run);
    await expect(attempt).rejects.toThrow(
      "mode is 'shadow', but memory no-mirror/production cannot mirror requests; use a router that can (nginx, istio) or a canary",
    );
    expect(calls).toEqual([]);
    expect((await ledger.read('any')).state.split).toBeUndefined();
  });

  it('shadows the canary beside the live version; a rollback from the shadow ends it and says so', async () => {
    const { router, ledger } = setup('shadow', true);
    served.set('shadow/production', allTrafficTo('v1'));
    const shadow = shadowSplit(allTrafficTo('v1'), 'v2', 10);
    const shifted = await shiftTraffic(router, ledger, shadowOf(10), run);
    expect(shifted).toMatchObject({ split: shadow, stable: 'v1', changed: true });
    expect(served.get('shadow/production')).toEqual(shadow);
    const { state } = await ledger.read('any');
    // The shadow takes no traffic: the live version stays the one fully live, and no canary runs.
    expect(state).toMatchObject({ live: 'v1', split: shadow, seen: ['v1', 'v2'] });
    expect(state.canary).toBeUndefined();

    const request = { key: 'end-shadow', environment: 'production', fromVersion: 'v2', reason: 'bad lists' };
    const ended = await rollBack(router, ledger, request, run);
    expect(ended).toMatchObject({ from: [], endedShadow: 'v2', to: 'v1', changed: true, already: undefined });
    expect(served.get('shadow/production')).toEqual(allTrafficTo('v1'));
    // A re-run converges on what the first attempt did; a new rollback from the ended shadow has nothing to do.
    await expect(rollBack(router, ledger, request, run)).resolves.toMatchObject({
      endedShadow: 'v2',
      already: 'this-step',
      changed: false,
    });
    await expect(rollBack(router, ledger, { ...request, key: 'again' }, run)).resolves.toMatchObject({
      already: 'rolled-back',
      changed: false,
    });
  });

  it('ends a shadow with a normal shift, and with a rollback that names no version', async () => {
    const { router, ledger } = setup('shadow-ends', true);
    served.set('shadow-ends/production', allTrafficTo('v1'));
    await shiftTraffic(router, ledger, shadowOf(100), run);
    await shiftTraffic(router, ledger, shiftTo(25), run);
    expect(served.get('shadow-ends/production')).toEqual(canarySplit('v1', 'v2', 25));
    await shiftTraffic(router, ledger, { ...shadowOf(50), key: 'shadow-again' }, run);
    const request = { key: 'default', environment: 'production', reason: 'stop' };
    await expect(rollBack(router, ledger, request, run)).resolves.toMatchObject({
      to: 'v1',
      endedShadow: 'v2',
    });
    expect(served.get('shadow-ends/production')).toEqual(allTrafficTo('v1'));
  });
});
