import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectCleanFailure, matchReportCorpus, workspaceWith } from '@recsys-actions/testkit';
import {
  expectSuccess,
  journalSummary,
  readLedgerFile,
  readTrafficSplit,
  snapshot,
  step,
  trafficFile,
} from '../../shift-traffic/test/helpers';

const shift = (workspace: string, stable: string, canary: string, weight: number) =>
  step('shift-traffic', workspace, {
    'stable-version': stable,
    'canary-version': canary,
    'canary-weight': weight,
  });

/** A health endpoint answering `status` after `delayMs`. */
async function serveHealth(status: number, delayMs = 0): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_, response) => {
    setTimeout(() => response.writeHead(status).end(), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** v1 promoted, then v2, then v3: the history a team has after three releases. */
async function threeReleases(): Promise<string> {
  const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
  for (const [stable, canary] of [
    ['v1', 'v2'],
    ['v2', 'v3'],
  ] as const) {
    expectSuccess(await shift(workspace, stable, canary, 10));
    expectSuccess(await shift(workspace, stable, canary, 100));
  }
  return workspace;
}

describe('rollback with the file router and the file ledger (built dist, runner emulation)', () => {
  it('during a canary sends all traffic to the stable version and records why', async () => {
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    expectSuccess(await shift(workspace, 'v1', 'v2', 25));
    const reason = 'p95 latency doubled <img src=x> @oncall';
    const run = await step('rollback', workspace, { reason, confirm: 'production' });
    expectSuccess(run);
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
    expect(run.outputs).toMatchObject({ 'from-version': 'v2', 'to-version': 'v1' });
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThan(0);
    expect(readLedgerFile(workspace).slice(-2)).toEqual([
      expect.objectContaining({
        type: 'intent',
        step: 'rollback',
        version: 'v1',
        leaving: ['v2'],
        reason,
        actor: 'octocat',
        to: { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request' },
      }),
      expect.objectContaining({ type: 'outcome', result: 'applied' }),
    ]);
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report).toMatchObject({
      action: 'rollback',
      verdict: 'rolled-back',
      details: { from: 'v2', fromVersions: ['v2'], to: 'v1', reason, healthBefore: null, healthAfter: null },
    });
    expect(report.details.durationMs).toBe(Number(run.outputs['duration-ms']));
    matchReportCorpus('rollback-file-router-during-canary', run);
    // The reason is a person's text: escaped in the summary, never raw HTML or a live mention.
    expect(run.summary).toContain('Reason: p95 latency doubled &lt;img src=x&gt; @\u200boncall');
    expect(run.summary).not.toContain('<img');
  });

  it('walks back through history on repeated rollbacks, never forward, then refuses', async () => {
    const workspace = await threeReleases();
    expect(readTrafficSplit(workspace)).toEqual({ v3: 100 });

    const first = await step('rollback', workspace, { reason: 'v3 hurts CTR' });
    expectSuccess(first);
    expect(first.outputs).toMatchObject({ 'from-version': 'v3', 'to-version': 'v2' });
    expect(readTrafficSplit(workspace)).toEqual({ v2: 100 });

    const second = await step('rollback', workspace, { reason: 'v2 too' });
    expectSuccess(second);
    expect(second.outputs).toMatchObject({ 'from-version': 'v2', 'to-version': 'v1' });
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });

    const before = snapshot(workspace);
    const third = await step('rollback', workspace, { reason: 'and v1?' });
    expect(expectCleanFailure(third)).toMatch(
      /^No known good version to roll back production to: .* before v1 and was not rolled back since\. Pass to-version to choose one\. Nothing was changed\.$/,
    );
    expect(snapshot(workspace)).toEqual(before);
    expect(journalSummary(workspace).filter((line) => line.startsWith('intent rollback'))).toEqual([
      'intent rollback v2 v2:100',
      'intent rollback v1 v1:100',
    ]);
  });

  it('rolls the very first canary back to the stable version, with nothing in the journal', async () => {
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 90, v2: 10 }) });
    const run = await step('rollback', workspace, { reason: 'canary errors' });
    expectSuccess(run);
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
  });

  it('refuses when nothing is known but the version serving all traffic, changing nothing', async () => {
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const before = snapshot(workspace);
    const run = await step('rollback', workspace, { reason: 'v1 is bad' });
    expect(expectCleanFailure(run)).toContain('No known good version to roll back production to');
    expect(snapshot(workspace)).toEqual(before);
    expect(run.outputs['report-path']).toBeUndefined();
  });

  it('rolls back to an explicit to-version, and repeating it changes nothing', async () => {
    const workspace = await threeReleases();
    const run = await step('rollback', workspace, {
      reason: 'back to the known good one',
      'to-version': 'v1',
    });
    expectSuccess(run);
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
    const events = readLedgerFile(workspace).length;
    const again = await step('rollback', workspace, { reason: 'again', 'to-version': 'v1' });
    expectSuccess(again);
    expect(again.summary).toContain('rollback: **unchanged**');
    expect(readLedgerFile(workspace)).toHaveLength(events);
  });

  it('makes exactly one change for 10 rollbacks at once with the same from-version, as on separate runners', async () => {
    const workspace = await threeReleases();
    const rollback = (index: number) =>
      step(
        'rollback',
        workspace,
        { reason: `press ${index}`, 'from-version': 'v3' },
        { env: { TMPDIR: mkdtempSync(join(tmpdir(), `runner-${index}-`)) } },
      );
    const runs = await Promise.all(Array.from({ length: 10 }, (_, index) => rollback(index)));
    runs.forEach(expectSuccess);
    expect(readTrafficSplit(workspace)).toEqual({ v2: 100 });
    const verdicts = runs.map((run) => JSON.parse(run.outputs.report ?? '').verdict as string);
    expect(verdicts.filter((verdict) => verdict === 'rolled-back')).toHaveLength(1);
    expect(verdicts.filter((verdict) => verdict === 'unchanged')).toHaveLength(9);
    // Every rollback intent has an outcome: nothing is left for a later step to reconcile.
    const entries = readLedgerFile(workspace);
    const finished = new Set(entries.filter((entry) => entry.type === 'outcome').map((entry) => entry.key));
    const unfinished = entries.filter((entry) => entry.type === 'intent' && !finished.has(entry.key));
    expect(unfinished).toEqual([]);
  });

  it('after losing its outcome, a re-run of the same rollback completes the journal and changes nothing', async () => {
    const workspace = await threeReleases();
    const env = { GITHUB_RUN_ID: '9001' };
    expectSuccess(
      await step('rollback', workspace, { reason: 'v3 hurts CTR', 'from-version': 'v3' }, { env }),
    );
    // As if the job died after the switch and before the outcome was written.
    const ledger = join(workspace, '.recsys/ledger/production.jsonl');
    const lines = readFileSync(ledger, 'utf8').trimEnd().split('\n');
    writeFileSync(ledger, `${lines.slice(0, -1).join('\n')}\n`);

    const rerun = await step(
      'rollback',
      workspace,
      { reason: 'v3 hurts CTR', 'from-version': 'v3' },
      { env },
    );
    expectSuccess(rerun);
    expect(readTrafficSplit(workspace)).toEqual({ v2: 100 });
    expect(JSON.parse(rerun.outputs.report ?? '')).toMatchObject({
      verdict: 'rolled-back',
      details: { already: 'this-step', journal: { reconciled: [{ result: 'applied' }] } },
    });
    expect(journalSummary(workspace).slice(-2)).toEqual(['intent rollback v2 v2:100', 'outcome applied']);
  });

  it('never routes forward after the traffic file was reverted by hand', async () => {
    const workspace = await threeReleases();
    writeFileSync(join(workspace, 'traffic/production.json'), trafficFile({ v2: 100 }));
    const run = await step('rollback', workspace, { reason: 'v2 misbehaves' });
    expectSuccess(run);
    expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
    expect(JSON.parse(run.outputs.report ?? '').notes).toContainEqual(
      expect.stringContaining('but the router serves v2 100% (per request) (changed by hand?)'),
    );
  });

  it('says "already rolled back" when from-version takes no traffic, and refuses one the journal never saw', async () => {
    const workspace = await threeReleases();
    expectSuccess(await step('rollback', workspace, { reason: 'v3 is bad', 'from-version': 'v3' }));
    const again = await step('rollback', workspace, { reason: 'v3 is bad (manual)', 'from-version': 'v3' });
    expectSuccess(again);
    expect(JSON.parse(again.outputs.report ?? '')).toMatchObject({
      verdict: 'unchanged',
      title: 'v3 takes no traffic in production (already rolled back); nothing was changed.',
    });
    const before = snapshot(workspace);
    const unknown = await step('rollback', workspace, { reason: 'typo', 'from-version': 'v9' });
    expect(expectCleanFailure(unknown)).toMatch(/^Input 'from-version' is 'v9', which neither takes traffic/);
    expect(snapshot(workspace)).toEqual(before);
  });

  it('fails loudly when the target is unhealthy after the switch, but never routes back', async () => {
    const unhealthy = await serveHealth(503);
    try {
      const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
      expectSuccess(await shift(workspace, 'v1', 'v2', 10));
      const run = await step('rollback', workspace, {
        reason: 'canary errors',
        'health-url': unhealthy.url,
        'health-timeout': '1s',
      });
      expect(expectCleanFailure(run)).toMatch(
        /^Rolled back production to v1, but http:.* did not answer 2xx within 1000 ms \(last answer: HTTP 503\)\. Traffic stays on v1; it is never routed back to v2\./,
      );
      expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
      expect(journalSummary(workspace).slice(-2)).toEqual(['intent rollback v1 v1:100', 'outcome applied']);
      expect(JSON.parse(run.outputs.report ?? '')).toMatchObject({
        verdict: 'rolled-back',
        checks: [
          {
            name: 'health before',
            status: 'warn',
            message: expect.stringMatching(/^HTTP 503 after 1 attempt/),
          },
          {
            name: 'health after',
            status: 'fail',
            message: expect.stringMatching(/^HTTP 503 after \d+ attempt/),
          },
        ],
      });
    } finally {
      await unhealthy.close();
    }
  });
});
