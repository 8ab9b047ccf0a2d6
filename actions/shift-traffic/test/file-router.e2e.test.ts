import { readFileSync } from 'node:fs';
import { matchReportCorpus, workspaceWith } from '@recsys-actions/testkit';
import {
  expectSuccess,
  readLedgerFile,
  readTrafficSplit,
  RUN_SHA,
  RUN_URL,
  step,
  trafficFile,
} from './helpers';

const MODEL_SHA = '9b1c'.repeat(16);
const provenance = { actor: 'octocat', runUrl: RUN_URL, commitSha: RUN_SHA };

describe('shift-traffic with the file router and the file ledger (built dist, runner emulation)', () => {
  const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
  const shift = (weight: number) =>
    step('shift-traffic', workspace, {
      'stable-version': 'v1',
      'canary-version': 'v2',
      'canary-weight': weight,
      'model-sha256': MODEL_SHA,
    });

  it('moves 10 % to the canary, writes the traffic file and records the canary', async () => {
    const run = await shift(10);
    expectSuccess(run);
    expect(readTrafficSplit(workspace)).toEqual({ v1: 90, v2: 10 });
    expect(JSON.parse(run.outputs['previous-split'] ?? '')).toEqual({
      targets: [{ version: 'v1', weight: 100 }],
      stickiness: 'request',
    });
    expect(JSON.parse(run.outputs.split ?? '')).toEqual({
      targets: [
        { version: 'v1', weight: 90 },
        { version: 'v2', weight: 10 },
      ],
      stickiness: 'request',
    });
    expect(run.outputs.changed).toBe('true');
    // The empty ledger first learns that v1 was serving, so a rollback has a known good version.
    expect(readLedgerFile(workspace)).toEqual([
      expect.objectContaining({ type: 'promoted', version: 'v1', ...provenance }),
      expect.objectContaining({
        type: 'canary',
        version: 'v2',
        weight: 10,
        modelSha256: MODEL_SHA,
        ...provenance,
      }),
    ]);
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report).toMatchObject({
      action: 'shift-traffic',
      verdict: 'shifted',
      environment: 'production',
      model: { version: 'v2', baselineVersion: 'v1', sha256: MODEL_SHA },
      details: {
        previousSplit: { targets: [{ version: 'v1', weight: 100 }] },
        split: {
          targets: [
            { version: 'v1', weight: 90 },
            { version: 'v2', weight: 10 },
          ],
        },
        router: 'file traffic/production.json',
        ledger: 'file .recsys/ledger/production.jsonl',
      },
    });
    expect(run.summary).toContain('shift-traffic: **shifted**');
    matchReportCorpus('shift-traffic-file-router-first-shift', run);
  });

  it('applies the same split again as a no-op: changed=false and no ledger event', async () => {
    const ledgerBefore = readLedgerFile(workspace);
    const trafficBefore = readFileSync(`${workspace}/traffic/production.json`, 'utf8');
    const run = await shift(10);
    expectSuccess(run);
    expect(run.outputs.changed).toBe('false');
    expect(run.outputs['previous-split']).toBe(run.outputs.split);
    expect(readFileSync(`${workspace}/traffic/production.json`, 'utf8')).toBe(trafficBefore);
    expect(readLedgerFile(workspace)).toEqual(ledgerBefore);
    expect(run.summary).toContain('shift-traffic: **unchanged**');
    expect(run.summary).toContain('nothing was changed or recorded');
  });

  it('promotes at 100 %: only the canary is routed and the old stable is superseded', async () => {
    const run = await shift(100);
    expectSuccess(run);
    expect(readTrafficSplit(workspace)).toEqual({ v2: 100 });
    expect(readLedgerFile(workspace).slice(2)).toEqual([
      expect.objectContaining({ type: 'promoted', version: 'v2', modelSha256: MODEL_SHA, ...provenance }),
      expect.objectContaining({ type: 'superseded', version: 'v1', ...provenance }),
    ]);
    expect(readLedgerFile(workspace)[3]).not.toHaveProperty('modelSha256');
    expect(JSON.parse(run.outputs.report ?? '')).toMatchObject({
      verdict: 'shifted',
      title: 'production now routes v2 100% (per request): v2 is promoted.',
    });
  });
});
