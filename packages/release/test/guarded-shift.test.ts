import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';
import { createFileLedger } from '@recsys-actions/ledger';
import { bashExec } from '@recsys-actions/testkit';
import { createRouter, parseRouterConfig, type Split } from '@recsys-actions/traffic';
import {
  guardedShift,
  targetUrl,
  type ExecPort,
  type GuardedShiftRequest,
  type HealthResult,
  type ShiftGuards,
} from '../src/index';

const ENVIRONMENT = 'production';
const all = (version: string): Split => ({ targets: [{ version, weight: 100 }], stickiness: 'request' });

/** The exec port as the runtime implements it, minus the log group. */
const bash: ExecPort = bashExec(process.cwd());

function place(serving?: Split) {
  const workspace = mkdtempSync(join(tmpdir(), 'guarded-shift-'));
  if (serving) {
    mkdirSync(join(workspace, 'traffic'));
    const file = {
      environment: ENVIRONMENT,
      revision: 1,
      updatedAt: '2026-03-01T09:00:00.000Z',
      split: serving,
    };
    writeFileSync(join(workspace, 'traffic', `${ENVIRONMENT}.json`), JSON.stringify(file));
  }
  const router = createRouter(parseRouterConfig('file', {}), { environment: ENVIRONMENT, workspace });
  const ledger = createFileLedger({ workspace, environment: ENVIRONMENT });
  const ledgerFile = join(workspace, '.recsys', 'ledger', `${ENVIRONMENT}.jsonl`);
  const journal = () =>
    existsSync(ledgerFile)
      ? readFileSync(ledgerFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { type: string; step?: string; result?: string })
          .map((entry) => (entry.type === 'intent' ? `intent ${entry.step}` : `outcome ${entry.result}`))
      : [];
  return { workspace, router, ledger, journal };
}

const healthy: HealthResult = { healthy: true, answer: 'HTTP 200', attempts: 1, elapsedMs: 3 };
const failing: HealthResult = { healthy: false, answer: 'HTTP 503', attempts: 4, elapsedMs: 400 };

/** A health port answering by URL, which records what was asked. */
function healthBy(answers: Record<string, HealthResult>) {
  const asked: string[] = [];
  const waitForHealth = async (url: URL) => {
    asked.push(url.href);
    return answers[url.href] ?? failing;
  };
  return { asked, waitForHealth };
}

let runs = 0;
function request(
  guards: Partial<ShiftGuards>,
  key = `run-${++runs}:shift-traffic:guarded`,
): GuardedShiftRequest {
  return {
    environment: ENVIRONMENT,
    shift: { key, canary: 'v2', weight: 100, stickiness: 'request' },
    guards: { healthTimeoutMs: 1000, ...guards },
    restoreKey: `${key}:restore`,
  };
}
const run = { actor: 'octocat', runId: '1' };

describe('guardedShift on a file router', () => {
  it('deploys, checks the target, smoke-tests it and then switches, passing RECSYS_* as the environment', async () => {
    const { workspace, router, ledger, journal } = place(all('v1'));
    const seen = join(workspace, 'seen.json');
    const dump = `node -e 'const e=process.env; console.log(JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k])=>k.startsWith("RECSYS_")))))' > ${seen}`;
    const order: string[] = [];
    const exec: ExecPort = (command, options) => {
      order.push(options.label);
      return bash(command, options);
    };
    const health = healthBy({ 'http://v2.internal/healthz': healthy, 'http://recs.internal/': healthy });
    const outcome = await guardedShift(
      router,
      ledger,
      request({
        deployCommand: dump,
        modelPath: 'models/v2.onnx',
        targetHealthUrl: 'http://{version}.internal/healthz',
        smokeCommand: 'test "$RECSYS_VERSION" = v2',
        healthUrl: new URL('http://recs.internal/'),
      }),
      run,
      { exec, waitForHealth: health.waitForHealth },
    );
    expect(order).toEqual(['deploy-command (v2)', 'smoke-command (v2)']);
    expect(health.asked).toEqual(['http://v2.internal/healthz', 'http://recs.internal/']);
    expect(JSON.parse(readFileSync(seen, 'utf8'))).toEqual({
      RECSYS_ENVIRONMENT: 'production',
      RECSYS_VERSION: 'v2',
      RECSYS_STABLE_VERSION: 'v1',
      RECSYS_MODEL_PATH: 'models/v2.onnx',
      RECSYS_SPLIT: JSON.stringify(all('v2')),
    });
    expect(await router.observe()).toEqual(all('v2'));
    expect(outcome.checks.map((check) => `${check.name} ${check.status}`)).toEqual([
      'deploy-command pass',
      'target health pass',
      'smoke-command pass',
      'health after pass',
    ]);
    expect(outcome.failure).toBeUndefined();
    expect(journal()).toEqual(['intent shift', 'outcome applied']);
  });

  it('refuses a target whose smoke-command fails: traffic unchanged, nothing journaled', async () => {
    const { router, ledger, journal } = place(all('v1'));
    const attempt = guardedShift(
      router,
      ledger,
      request({ deployCommand: 'true', smokeCommand: 'exit 3' }),
      run,
      {
        exec: bash,
        waitForHealth: healthBy({}).waitForHealth,
      },
    );
    await expect(attempt).rejects.toThrow(
      new UserFacingError(
        'The smoke-command exited with code 3. Nothing was changed: production still routes v1 100% (per request).',
      ),
    );
    expect(await router.observe()).toEqual(all('v1'));
    expect(journal()).toEqual([]);
  });

  it('refuses a target that never answers target-health-url, before smoke-command runs', async () => {
    const { router, ledger, journal } = place(all('v1'));
    const labels: string[] = [];
    const exec: ExecPort = async (_command, { label }) => {
      labels.push(label);
      return { exitCode: 0 };
    };
    const attempt = guardedShift(
      router,
      ledger,
      request({ targetHealthUrl: 'http://{version}.internal/healthz', smokeCommand: 'true' }),
      run,
      { exec, waitForHealth: healthBy({}).waitForHealth },
    );
    await expect(attempt).rejects.toThrow(
      'http://v2.internal/healthz did not answer 2xx within 1000 ms (last answer: HTTP 503). Nothing was changed',
    );
    expect(labels).toEqual([]);
    expect(await router.observe()).toEqual(all('v1'));
    expect(journal()).toEqual([]);
  });

  it('restores the version that served before when health-url fails after the switch, journaled as a rollback', async () => {
    const { router, ledger, journal } = place(all('v1'));
    const outcome = await guardedShift(
      router,
      ledger,
      request({ healthUrl: new URL('http://recs.internal/') }),
      run,
      { exec: bash, waitForHealth: healthBy({}).waitForHealth },
    );
    expect(await router.observe()).toEqual(all('v1'));
    expect(outcome.shift.split).toEqual(all('v2'));
    expect(outcome.restore?.split).toEqual(all('v1'));
    expect(outcome.failure).toBe(
      'http://recs.internal/ did not answer 2xx within 1000 ms (last answer: HTTP 503) after the switch, so traffic ' +
        'was restored to v1 100% (per request) and v2 is recorded as rolled back.',
    );
    expect(journal()).toEqual(['intent shift', 'outcome applied', 'intent rollback', 'outcome applied']);
    expect((await ledger.read('any')).state.rolledBack).toEqual(['v2']);
  });

  it('has nothing to restore on the first route ever, and says so', async () => {
    const { router, ledger } = place();
    const outcome = await guardedShift(
      router,
      ledger,
      request({ healthUrl: new URL('http://recs.internal/') }),
      run,
      { exec: bash, waitForHealth: healthBy({}).waitForHealth },
    );
    expect(outcome.restore).toBeUndefined();
    expect(outcome.failure).toMatch(
      /after the switch; there is no previous version to restore \(nothing was routed before\)\.$/,
    );
    expect(await router.observe()).toEqual(all('v2'));
  });

  it('runs deploy-command again on a re-run of a step that already took effect, with the split it applied', async () => {
    const { workspace, router, ledger, journal } = place(all('v1'));
    const count = join(workspace, 'deploys');
    const deploy = { deployCommand: `echo "$RECSYS_SPLIT" >> ${count}` };
    const ports = { exec: bash, waitForHealth: healthBy({}).waitForHealth };
    await guardedShift(router, ledger, request(deploy, 'run-9:shift-traffic:rerun'), run, ports);
    const again = await guardedShift(
      router,
      ledger,
      request(deploy, 'run-9:shift-traffic:rerun'),
      run,
      ports,
    );
    expect(again.shift.repeated).toBe(true);
    expect(readFileSync(count, 'utf8').trim().split('\n')).toEqual([
      JSON.stringify(all('v2')),
      JSON.stringify(all('v2')),
    ]);
    expect(journal()).toEqual(['intent shift', 'outcome applied']);
  });
});

describe('targetUrl', () => {
  it('puts the version where {version} stands, percent-encoded', () => {
    expect(targetUrl('http://{version}.internal:8080/v/{version}/healthz', 'v1.4.0').href).toBe(
      'http://v1.4.0.internal:8080/v/v1.4.0/healthz',
    );
    expect(targetUrl('http://recs/{version}', 'a b').pathname).toBe('/a%20b');
  });
});
