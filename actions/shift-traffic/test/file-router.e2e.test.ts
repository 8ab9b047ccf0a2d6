import { readFileSync } from 'node:fs';
import { matchReportCorpus, workspaceWith } from '@recsys-actions/testkit';
import { expectCleanFailure } from '@recsys-actions/testkit';
import {
  expectSuccess,
  journalSummary,
  readLedgerFile,
  readTrafficSplit,
  RUN_SHA,
  snapshot,
  step,
  trafficFile,
} from './helpers';

const MODEL_SHA = '9b1c'.repeat(16);
const provenance = {
  actor: 'octocat',
  runUrl: expect.stringMatching(/^https:\/\/github\.com\/octo-org\/recsys\/actions\/runs\/\d+$/),
};

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
    expect(run.outputs['stable-version']).toBe('v1');
    // The intent is written before traffic moves, the outcome after; the intent carries what came before.
    expect(readLedgerFile(workspace)).toEqual([
      expect.objectContaining({
        type: 'intent',
        step: 'shift',
        version: 'v2',
        stable: 'v1',
        from: { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request' },
        modelSha256: MODEL_SHA,
        commitSha: RUN_SHA,
        before: { fullyLive: [], rolledBack: [], seen: [] },
        ...provenance,
      }),
      expect.objectContaining({ type: 'outcome', result: 'applied', ...provenance }),
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
    expect(run.summary).toContain('> Before this step: v1 100% (per request).');
    expect(run.summary).toContain(
      '> Journal: file .recsys/ledger/production.jsonl (chosen by ledger: auto).',
    );
    expect(run.stdout).toContain('shift-traffic: shifted. production now routes');
    matchReportCorpus('shift-traffic-file-router-first-shift', run);
  });

  it('applies the same split again in a new run as a no-op: changed=false, journaled as unchanged', async () => {
    const trafficBefore = readFileSync(`${workspace}/traffic/production.json`, 'utf8');
    const run = await shift(10);
    expectSuccess(run);
    expect(run.outputs.changed).toBe('false');
    expect(run.outputs['previous-split']).toBe(run.outputs.split);
    expect(readFileSync(`${workspace}/traffic/production.json`, 'utf8')).toBe(trafficBefore);
    expect(journalSummary(workspace).slice(2)).toEqual(['intent shift v2 v1:90/v2:10', 'outcome unchanged']);
    expect(run.summary).toContain('shift-traffic: **unchanged**');
    expect(run.summary).toContain('nothing was changed');
  });

  it('promotes at 100 % with stable-version left to what is live', async () => {
    const run = await step('shift-traffic', workspace, { 'canary-version': 'v2', 'canary-weight': 100 });
    expectSuccess(run);
    expect(readTrafficSplit(workspace)).toEqual({ v2: 100 });
    expect(readLedgerFile(workspace).at(-2)).toMatchObject({
      type: 'intent',
      before: { fullyLive: ['v1'], canary: { version: 'v2', stable: 'v1' }, live: 'v1' },
    });
    expect(JSON.parse(run.outputs.report ?? '')).toMatchObject({
      verdict: 'shifted',
      title: 'production now routes v2 100% (per request): v2 is promoted.',
    });
  });

  it('refuses a stable-version that is not what serves, naming what does, and changes nothing', async () => {
    const before = snapshot(workspace);
    const run = await step('shift-traffic', workspace, {
      'stable-version': 'v1',
      'canary-version': 'v3',
      'canary-weight': 10,
    });
    expect(expectCleanFailure(run)).toBe(
      "Input 'stable-version' is 'v1', but the router serves v2 100% (per request), so the live version is 'v2'; leave it empty to use whatever is live. Example: stable-version: v2",
    );
    expect(snapshot(workspace)).toEqual(before);
  });

  it('does not take the step again when the same job is re-run: "Re-run all jobs" never repeats the 10 % step', async () => {
    const fresh = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const env = { GITHUB_RUN_ID: '777', GITHUB_RUN_ATTEMPT: '1' };
    const at = (weight: number, attempt: string) =>
      step(
        'shift-traffic',
        fresh,
        { 'canary-version': 'v2', 'canary-weight': weight },
        { env: { ...env, GITHUB_RUN_ATTEMPT: attempt } },
      );
    expectSuccess(await at(10, '1'));
    expectSuccess(await at(50, '1'));
    const rerun = await at(10, '2');
    expectSuccess(rerun);
    expect(readTrafficSplit(fresh)).toEqual({ v1: 50, v2: 50 });
    expect(JSON.parse(rerun.outputs.report ?? '')).toMatchObject({
      verdict: 'shifted',
      details: { repeated: true, changed: false, journal: { outcome: null } },
    });
    expect(rerun.outputs.changed).toBe('false');
    expect(journalSummary(fresh)).toHaveLength(4);
  });
});
