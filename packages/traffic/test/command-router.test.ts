import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashExec } from '@recsys-actions/testkit';
import {
  allTrafficTo,
  canarySplit,
  createRouter,
  parseRouterConfig,
  SplitConflictError,
  type Split,
} from '../src/index';
import { applyObserved } from './apply-observed';

/**
 * A stand-in platform: its live split is `platform.json`. The apply script also logs what it was given, so
 * the tests see both ways the split is handed over and how often it ran.
 */
const APPLY =
  'test "$RECSYS_SPLIT" = "$(cat "$RECSYS_SPLIT_FILE")"; echo "$RECSYS_ENVIRONMENT $RECSYS_SPLIT" >> applied.log; ' +
  'cp "$RECSYS_SPLIT_FILE" platform.json';
const OBSERVE = 'if [ -f platform.json ]; then cat platform.json; else echo null; fi';

function setup(config: Record<string, unknown> = {}, serving?: Split) {
  const workspace = mkdtempSync(join(tmpdir(), 'traffic-command-'));
  if (serving) writeFileSync(join(workspace, 'platform.json'), JSON.stringify(serving));
  const parsed = parseRouterConfig('command', {
    'apply-command': APPLY,
    'observe-command': OBSERVE,
    ...config,
  });
  const router = createRouter(parsed, { environment: 'production', workspace, exec: bashExec(workspace) });
  const applied = () =>
    existsSync(join(workspace, 'applied.log'))
      ? readFileSync(join(workspace, 'applied.log'), 'utf8').trim().split('\n')
      : [];
  const platform = () => readFileSync(join(workspace, 'platform.json'), 'utf8');
  return { workspace, router, applied, platform };
}

describe('command router', () => {
  it('hands the split to apply-command as RECSYS_SPLIT and a file, and observes what observe-command prints', async () => {
    const { router, applied } = setup();
    await expect(router.observe()).resolves.toBeUndefined();
    await expect(applyObserved(router, allTrafficTo('v1'))).resolves.toEqual({
      previous: undefined,
      changed: true,
    });
    const canary = canarySplit('v1', 'v2', 10, 'user');
    await expect(applyObserved(router, canary)).resolves.toEqual({
      previous: allTrafficTo('v1'),
      changed: true,
    });
    await expect(router.observe()).resolves.toEqual(canary);
    await expect(router.verify(canary)).resolves.toBeUndefined();
    expect(applied()).toEqual([
      'production {"targets":[{"version":"v1","weight":100}],"stickiness":"request"}',
      'production {"targets":[{"version":"v1","weight":90},{"version":"v2","weight":10}],"stickiness":"user"}',
    ]);
  });

  it('does not run apply-command for the split already in force', async () => {
    const { router, applied } = setup({}, canarySplit('v1', 'v2', 10));
    await expect(applyObserved(router, canarySplit('v1', 'v2', 10))).resolves.toEqual({
      previous: canarySplit('v1', 'v2', 10),
      changed: false,
    });
    expect(applied()).toEqual([]);
  });

  it('refuses, running nothing, when the platform does not serve the expected split', async () => {
    const { router, applied, platform } = setup({}, allTrafficTo('v1'));
    const attempt = router.apply(allTrafficTo('v3'), { expected: canarySplit('v1', 'v2', 10) });
    await expect(attempt).rejects.toThrow(SplitConflictError);
    await expect(attempt).rejects.toThrow('but it serves v1 100% (per request)');
    expect(applied()).toEqual([]);
    expect(JSON.parse(platform())).toEqual(allTrafficTo('v1'));
  });

  it('puts the previous split back when apply-command fails half-way', async () => {
    const halfThenFail = `${APPLY}; if grep -q v3 platform.json; then exit 3; fi`;
    const { router, platform } = setup({ 'apply-command': halfThenFail }, allTrafficTo('v1'));
    await expect(applyObserved(router, allTrafficTo('v3'))).rejects.toThrow(
      "The router's apply-command exited with code 3. v1 100% (per request) was put back.",
    );
    expect(JSON.parse(platform())).toEqual(allTrafficTo('v1'));
  });

  it('says nothing changed when apply-command fails before touching anything', async () => {
    const { router, platform } = setup({ 'apply-command': 'exit 7' }, allTrafficTo('v1'));
    await expect(applyObserved(router, allTrafficTo('v3'))).rejects.toThrow(
      'apply-command exited with code 7. Nothing was changed: it still serves v1 100% (per request).',
    );
    expect(JSON.parse(platform())).toEqual(allTrafficTo('v1'));
  });

  it('names what observe-command printed when it is not a split', async () => {
    const garbled = setup({ 'observe-command': 'echo weights=90,10' }).router;
    await expect(garbled.observe()).rejects.toThrow(
      `observe-command printed "weights=90,10", not JSON; it must print the split serving now`,
    );
    const wrong = setup({
      'observe-command': `echo '{"targets":[{"version":"v1","weight":90}],"stickiness":"request"}'`,
    });
    await expect(wrong.router.observe()).rejects.toThrow('weights must add up to 100, got 90');
    await expect(setup({ 'observe-command': 'exit 2' }).router.observe()).rejects.toThrow(
      "The router's observe-command exited with code 2.",
    );
  });

  it('verify names what observe-command reports instead', async () => {
    const { router } = setup({}, allTrafficTo('v1'));
    await expect(router.verify(allTrafficTo('v2'))).rejects.toThrow(
      'The observe-command reports v1 100% (per request) after the apply-command put v2 100% (per request) in force',
    );
  });

  it('locks on the named target, or on the environment and apply-command', () => {
    expect(setup({ target: 'lb/recsys' }).router.lockTarget).toBe('command:lb/recsys');
    expect(setup().router.lockTarget).toBe(`command:production:${APPLY}`);
  });

  it('needs both commands and a host that runs them', () => {
    expect(() => parseRouterConfig('command', { 'apply-command': APPLY })).toThrow(
      "for router 'command' is invalid at observe-command",
    );
    const config = parseRouterConfig('command', { 'apply-command': APPLY, 'observe-command': OBSERVE });
    const workspace = mkdtempSync(join(tmpdir(), 'traffic-command-'));
    expect(() => createRouter(config, { environment: 'production', workspace })).toThrow(
      "for router 'command' needs a host that runs commands",
    );
  });
});
