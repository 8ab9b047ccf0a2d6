import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectCleanFailure, matchReportCorpus, workspaceWith } from '@recsys-actions/testkit';
import {
  expectSuccess,
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
    expect(readLedgerFile(workspace).at(-1)).toMatchObject({
      type: 'rolled-back',
      version: 'v2',
      reason,
      actor: 'octocat',
      split: { targets: [{ version: 'v1', weight: 100 }] },
    });
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
      /^No known good version to roll back production to: .* \(v1\)\. Pass to-version to choose one\. Nothing was changed\.$/,
    );
    expect(snapshot(workspace)).toEqual(before);
    expect(readLedgerFile(workspace).map((event) => `${event.type} ${event.version}`)).toEqual([
      'promoted v1',
      'canary v2',
      'promoted v2',
      'superseded v1',
      'canary v3',
      'promoted v3',
      'superseded v2',
      'rolled-back v3',
      'promoted v2',
      'rolled-back v2',
      'promoted v1',
    ]);
  });

  it('refuses when the ledger knows no good version, changing nothing', async () => {
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 90, v2: 10 }) });
    const before = snapshot(workspace);
    const run = await step('rollback', workspace, { reason: 'canary errors' });
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

  it('lets two rollbacks started at once run one after the other, each walking one step back', async () => {
    // The health check before the switch runs between reading the history and applying; a slow answer keeps
    // both runs inside that window at once, so without the lock both would pick v2.
    const slow = await serveHealth(200, 300);
    try {
      const workspace = await threeReleases();
      const rollback = (reason: string) =>
        step('rollback', workspace, { reason, 'health-url': slow.url, 'health-timeout': '5s' });
      const runs = await Promise.all([rollback('first button press'), rollback('second button press')]);
      runs.forEach(expectSuccess);
      expect(runs.map((run) => `${run.outputs['from-version']}→${run.outputs['to-version']}`).sort()).toEqual(
        ['v2→v1', 'v3→v2'],
      );
      expect(readTrafficSplit(workspace)).toEqual({ v1: 100 });
      expect(
        readLedgerFile(workspace)
          .slice(7)
          .map((event) => `${event.type} ${event.version}`),
      ).toEqual(['rolled-back v3', 'promoted v2', 'rolled-back v2', 'promoted v1']);
    } finally {
      await slow.close();
    }
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
      expect(readLedgerFile(workspace).at(-1)).toMatchObject({ type: 'rolled-back', version: 'v2' });
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
