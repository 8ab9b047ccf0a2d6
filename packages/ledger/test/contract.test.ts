import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTrafficTo, canarySplit } from '@recsys-actions/traffic';
import { createFileLedger, createGitHubLedger, EMPTY_RELEASE_STATE, type Ledger } from '../src/index';
import { FakeDeployments } from './fake-deployments';
import { intent, outcome, takeStep, CANARY_OF_V2_STATE } from './steps';

// Both backends must tell the same story; an emulator-backed DeploymentsApi can join this list unchanged.
const backends: [string, () => Ledger][] = [
  [
    'file',
    () => createFileLedger({ workspace: mkdtempSync(join(tmpdir(), 'ledger-')), environment: 'production' }),
  ],
  [
    'github',
    () => createGitHubLedger({ api: new FakeDeployments(), environment: 'production', ref: 'b'.repeat(40) }),
  ],
];

const firstRelease = { version: 'v1', from: null, to: allTrafficTo('v1') };
const canaryOfV2 = { version: 'v2', from: allTrafficTo('v1'), to: canarySplit('v1', 'v2', 10), stable: 'v1' };
const promotionOfV2 = {
  version: 'v2',
  from: canarySplit('v1', 'v2', 10),
  to: allTrafficTo('v2'),
  stable: 'v1',
};

describe.each(backends)('%s ledger', (_name, create) => {
  it('reads an empty journal before any step', async () => {
    await expect(create().read('any key')).resolves.toEqual({ state: EMPTY_RELEASE_STATE, warnings: [] });
  });

  it('reads a begun step back as the newest, unfinished, and as its own under its key', async () => {
    const ledger = create();
    const recorded = intent({ ...canaryOfV2, key: 'run 7 shift v2', reason: 'nightly retrain' });
    const begun = await ledger.begin(recorded);
    expect(begun.intent).toEqual(recorded);

    const journal = await ledger.read('run 7 shift v2');
    expect(journal.newest?.intent).toEqual(recorded);
    expect(journal.newest?.outcome).toBeUndefined();
    expect(journal.own).toEqual(journal.newest);
    expect(journal.state).toEqual(EMPTY_RELEASE_STATE);
    expect(journal.warnings).toEqual([]);

    const other = await ledger.read('run 8 shift v3');
    expect(other.newest?.intent).toEqual(recorded);
    expect(other.own).toBeUndefined();
  });

  it('reads the outcome back with its result, note and actor', async () => {
    const ledger = create();
    const recorded = intent({ ...firstRelease, key: 'run 7 shift v1' });
    const begun = await ledger.begin(recorded);
    await expect(
      ledger.finish(begun, outcome('run 7 shift v1', 'unchanged', 'the router already served it', 'bob')),
    ).resolves.toEqual([]);

    const { own, newest } = await ledger.read('run 7 shift v1');
    expect(own?.intent).toEqual(recorded);
    expect(own?.outcome).toMatchObject({
      type: 'outcome',
      key: 'run 7 shift v1',
      result: 'unchanged',
      note: 'the router already served it',
      actor: 'bob',
      runUrl: 'https://github.com/acme/recs/actions/runs/42',
    });
    expect(newest).toEqual(own);
  });

  it('advances the state through a first release, a canary, a promotion and a rollback', async () => {
    const ledger = create();
    await takeStep(ledger, firstRelease);
    await expect(ledger.read('next')).resolves.toMatchObject({
      state: { live: 'v1', split: allTrafficTo('v1'), fullyLive: ['v1'], rolledBack: [], seen: ['v1'] },
    });

    await takeStep(ledger, canaryOfV2);
    expect((await ledger.read('next')).state).toEqual(CANARY_OF_V2_STATE);

    await takeStep(ledger, promotionOfV2);
    expect((await ledger.read('next')).state).toEqual({
      live: 'v2',
      split: allTrafficTo('v2'),
      fullyLive: ['v1', 'v2'],
      rolledBack: [],
      seen: ['v1', 'v2'],
    });

    const reason = 'p95 latency 310 ms over the 250 ms budget';
    await takeStep(ledger, {
      step: 'rollback',
      version: 'v1',
      from: allTrafficTo('v2'),
      to: allTrafficTo('v1'),
      leaving: ['v2'],
      reason,
    });
    const journal = await ledger.read('next');
    expect(journal.state).toEqual({
      live: 'v1',
      split: allTrafficTo('v1'),
      fullyLive: ['v2', 'v1'],
      rolledBack: ['v2'],
      seen: ['v1', 'v2'],
    });
    expect(journal.newest?.intent).toMatchObject({ step: 'rollback', reason, leaving: ['v2'] });
    expect(journal.warnings).toEqual([]);
  });

  it.each(['failed', 'abandoned'] as const)(
    'keeps the state of the last step that took effect when the newest step %s',
    async (result) => {
      const ledger = create();
      await takeStep(ledger, firstRelease);
      await takeStep(ledger, canaryOfV2);
      const afterCanary = (await ledger.read('next')).state;

      await takeStep(ledger, { ...promotionOfV2, key: 'run 9 promote v2' }, result);
      const journal = await ledger.read('run 9 promote v2');
      expect(journal.state).toEqual(afterCanary);
      expect(journal.newest?.outcome?.result).toBe(result);
      expect(journal.own?.intent.key).toBe('run 9 promote v2');

      // The step after it starts from that state again, not from the one that never happened.
      await takeStep(ledger, { ...promotionOfV2, key: 'run 10 promote v2' });
      expect((await ledger.read('next')).state).toMatchObject({ live: 'v2', fullyLive: ['v1', 'v2'] });
    },
  );

  it('drops a second outcome for the same step, as when a reconciling step races the step itself', async () => {
    const ledger = create();
    await takeStep(ledger, firstRelease);
    const begun = await ledger.begin(
      intent({ ...canaryOfV2, key: 'run 8 shift v2', before: (await ledger.read('k')).state }),
    );
    await ledger.finish(begun, outcome('run 8 shift v2', 'applied', undefined, 'alice'));
    const before = await ledger.read('run 8 shift v2');

    await ledger.finish(begun, outcome('run 8 shift v2', 'abandoned', 'completed by a later step', 'bob'));
    const after = await ledger.read('run 8 shift v2');
    expect(after.own?.outcome).toMatchObject({ result: 'applied', actor: 'alice' });
    expect(after.state).toEqual(before.state);
    expect(after.state.canary).toEqual({ version: 'v2', stable: 'v1' });
    expect(after.newest).toEqual(before.newest);
  });
});

describe.each(backends)('%s ledger history', (_name, create) => {
  it('says an environment without any step does not exist', async () => {
    await expect(create().history(new Date(0))).resolves.toEqual({ exists: false, steps: [], warnings: [] });
  });

  it('lists the steps since a time, oldest first, each with its outcome; the unfinished newest without', async () => {
    const ledger = create();
    await takeStep(ledger, { ...firstRelease, key: 'k1' });
    const since = new Date(Date.parse((await takeStep(ledger, { ...canaryOfV2, key: 'k2' })).timestamp));
    await takeStep(ledger, { ...promotionOfV2, key: 'k3' });
    await takeStep(ledger, { ...promotionOfV2, from: allTrafficTo('v2'), key: 'k4' }, 'unchanged');
    const canaryOfV3 = {
      version: 'v3',
      from: allTrafficTo('v2'),
      to: canarySplit('v2', 'v3', 5),
      stable: 'v2',
    };
    await takeStep(ledger, { ...canaryOfV3, key: 'k5' }, 'failed');
    const unfinished = intent({ ...canaryOfV3, key: 'k6' });
    await ledger.begin({ ...unfinished, before: (await ledger.read('k6')).state });

    const history = await ledger.history(since);
    expect(history.exists).toBe(true);
    expect(history.steps.map((step) => [step.intent.key, step.outcome?.result])).toEqual([
      ['k2', 'applied'],
      ['k3', 'applied'],
      ['k4', 'unchanged'],
      ['k5', 'failed'],
      ['k6', undefined],
    ]);
  });
});
