import { allTrafficTo, canarySplit, type Split } from '@recsys-actions/traffic';
import { createGitHubLedger, JOURNAL_WINDOW, type DeploymentState } from '../src/index';
import { FakeDeployments } from './fake-deployments';
import { intent, outcome, takeStep } from './steps';

function setup() {
  const api = new FakeDeployments();
  const ledger = createGitHubLedger({ api, environment: 'production', ref: 'b'.repeat(40) });
  const statusesOf = (id: number) =>
    (api.statuses.get(id) ?? []).map((status) => [status.state, status.description, status.log_url]);
  /** A status as another tool, or the old ledger, would write it. */
  const addStatus = (deployment_id: number, state: DeploymentState, description: string) =>
    api.createDeploymentStatus({
      deployment_id,
      state,
      description,
      environment: 'production',
      auto_inactive: false,
    });
  /** A deployment of the history written before the journal: one per version, each event a status. */
  const legacyVersion = async (
    version: string,
    split: Split | undefined,
    ...statuses: [DeploymentState, string][]
  ) => {
    const deployment = await api.createDeployment({
      ref: 'a'.repeat(40),
      environment: 'production',
      payload: { version, ...(split ? { split } : {}) },
      description: `Model ${version}`,
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
    });
    for (const [state, description] of statuses) await addStatus(deployment.id, state, description);
    return deployment.id;
  };
  return { api, ledger, statusesOf, addStatus, legacyVersion };
}

const runUrl = 'https://github.com/acme/recs/actions/runs/42';
const canaryOfV2 = { version: 'v2', from: allTrafficTo('v1'), to: canarySplit('v1', 'v2', 10), stable: 'v1' };

describe('GitHub ledger', () => {
  it('keeps each step as a deployment whose payload holds the intent, in progress until it finishes', async () => {
    const { api, ledger, statusesOf } = setup();
    const recorded = intent({ ...canaryOfV2, key: 'run 7 shift v2' });
    const step = await ledger.begin(recorded);
    expect(api.deployments).toHaveLength(1);
    expect(api.deployments[0]).toMatchObject({
      id: Number(step.ref),
      environment: 'production',
      ref: 'b'.repeat(40),
      description: 'Canary v2 at 10%',
      payload: { version: 'v2', recsys: { journal: 1, intent: JSON.parse(JSON.stringify(recorded)) } },
    });
    expect(statusesOf(Number(step.ref))).toEqual([['in_progress', 'Started by alice', runUrl]]);

    await ledger.finish(step, outcome('run 7 shift v2', 'applied', 'the router serves v1 90% / v2 10%'));
    expect(statusesOf(Number(step.ref))).toEqual([
      ['in_progress', 'Started by alice', runUrl],
      ['success', 'Applied by alice: the router serves v1 90% / v2 10%', runUrl],
    ]);
  });

  it('points a step at the commit its intent names and describes promotions and rollbacks', async () => {
    const { api, ledger } = setup();
    await ledger.begin({
      ...intent({ version: 'v2', from: null, to: allTrafficTo('v2') }),
      commitSha: 'c'.repeat(40),
    });
    await ledger.begin(
      intent({
        step: 'rollback',
        version: 'v1',
        from: canarySplit('v2', 'v3', 5),
        to: allTrafficTo('v1'),
        leaving: ['v2', 'v3'],
      }),
    );
    expect(api.deployments.map((deployment) => [deployment.ref, deployment.description])).toEqual([
      ['c'.repeat(40), 'Promote v2'],
      ['b'.repeat(40), 'Roll back to v1 from v2, v3'],
    ]);
  });

  it.each([
    ['applied', 'success', 'Applied by bob: done'],
    ['unchanged', 'inactive', 'Unchanged by bob: done'],
    ['abandoned', 'failure', 'Abandoned by bob: done'],
    ['failed', 'failure', 'Failed by bob: done'],
  ] as const)('records %s as a %s status and reads it back', async (result, state, description) => {
    const { ledger, statusesOf } = setup();
    const step = await ledger.begin(intent({ ...canaryOfV2, key: 'k' }));
    await ledger.finish(step, outcome('k', result, 'done', 'bob'));
    expect(statusesOf(Number(step.ref))[1]).toEqual([state, description, runUrl]);
    expect((await ledger.read('k')).own?.outcome).toMatchObject({
      key: 'k',
      result,
      note: 'done',
      actor: 'bob',
      runUrl,
    });
  });

  it('cuts descriptions to the 140 characters GitHub accepts', async () => {
    const { ledger, statusesOf } = setup();
    const step = await ledger.begin(intent({ ...canaryOfV2, key: 'k' }));
    await ledger.finish(step, outcome('k', 'failed', 'x'.repeat(300)));
    const description = String(statusesOf(Number(step.ref))[1]?.[1]);
    expect(description).toHaveLength(140);
    expect(description.endsWith('x…')).toBe(true);
    const { own } = await ledger.read('k');
    expect(own?.outcome).toMatchObject({
      result: 'failed',
      note: `${'x'.repeat(140 - 'Failed by alice: '.length - 1)}…`,
    });
  });

  it('reads the history written before the journal as the state, until a journal step takes effect', async () => {
    const { api, ledger, legacyVersion } = setup();
    await legacyVersion('v1', undefined, ['queued', 'Validated by alice'], ['success', 'Promoted by alice']);
    await legacyVersion(
      'v2',
      canarySplit('v1', 'v2', 10),
      ['in_progress', 'Canary 10% by alice'],
      ['failure', 'Rolled back by bob: errors'],
    );
    await legacyVersion('v3', undefined, ['in_progress', 'Canary 5% by alice']);
    const legacy = {
      live: 'v1',
      fullyLive: ['v1'],
      rolledBack: ['v2'],
      canary: { version: 'v3', stable: 'v1' },
      seen: ['v1', 'v2', 'v3'],
    };
    await expect(ledger.read('k')).resolves.toEqual({ state: legacy, warnings: [] });

    const promotion = {
      version: 'v3',
      from: canarySplit('v1', 'v3', 5),
      to: allTrafficTo('v3'),
      stable: 'v1',
    };
    const failed = await takeStep(ledger, { ...promotion, key: 'run 5 promote v3' }, 'failed');
    expect(failed.before).toEqual(legacy);
    expect((await ledger.read('k')).state).toEqual(legacy);

    await takeStep(ledger, { ...promotion, key: 'run 6 promote v3' });
    api.requests.length = 0;
    const journal = await ledger.read('k');
    expect(journal.state).toEqual({
      live: 'v3',
      split: allTrafficTo('v3'),
      fullyLive: ['v1', 'v3'],
      rolledBack: ['v2'],
      seen: ['v1', 'v2', 'v3'],
    });
    // Once a step took effect, its intent carries the old history forward: no full listing any more.
    expect(api.requests).not.toContain('deployments limit none');
  });

  it('orders legacy events written within one second by status id, not by deployment', async () => {
    const { ledger, legacyVersion, addStatus } = setup();
    const v1 = await legacyVersion('v1', undefined);
    const v2 = await legacyVersion('v2', undefined);
    await addStatus(v1, 'success', 'Promoted by alice');
    await addStatus(v2, 'success', 'Promoted by alice');
    await addStatus(v1, 'inactive', 'Superseded by alice');
    expect((await ledger.read('k')).state).toEqual({
      live: 'v2',
      fullyLive: ['v1', 'v2'],
      rolledBack: [],
      seen: ['v1', 'v2'],
    });
  });

  it.each([10, 1000])('reads with the same requests after %i past steps', async (count) => {
    const { api, ledger } = setup();
    for (let index = 0; index < count; index++) {
      const step = await ledger.begin(
        intent({ key: `run ${index}`, version: `v${index}`, from: null, to: allTrafficTo(`v${index}`) }),
      );
      await ledger.finish(step, outcome(`run ${index}`, 'applied'));
    }
    api.requests.length = 0;
    const journal = await ledger.read('a key no step has');
    expect(journal.state.live).toBe(`v${count - 1}`);
    expect(api.requests).toEqual([
      `deployments limit ${JOURNAL_WINDOW}`,
      `statuses ${journal.newest?.ref} limit 5`,
    ]);
  });

  it('walks back only to the newest step that took effect, reading the statuses of those steps alone', async () => {
    const { api, ledger } = setup();
    for (let index = 0; index < 40; index++)
      await takeStep(ledger, { key: `run ${index}`, version: 'v1', from: null, to: allTrafficTo('v1') });
    await takeStep(ledger, { ...canaryOfV2, key: 'canary' });
    await takeStep(ledger, { ...canaryOfV2, key: 'try 1' }, 'failed');
    await takeStep(ledger, { ...canaryOfV2, key: 'try 2' }, 'abandoned');
    await ledger.begin(intent({ ...canaryOfV2, key: 'try 3' }));

    api.requests.length = 0;
    const journal = await ledger.read('run 30');
    expect(journal.state.canary).toEqual({ version: 'v2', stable: 'v1' });
    expect(journal.newest?.intent.key).toBe('try 3');
    expect(journal.own?.outcome?.result).toBe('applied');
    // newest, own, then try 2, try 1 and the canary: one status request each, none beyond.
    expect(api.requests).toHaveLength(1 + 5);
    expect(api.requests[0]).toBe(`deployments limit ${JOURNAL_WINDOW}`);
  });

  it('tolerates what other tools write: their deployments, final statuses on an unfinished step, later statuses', async () => {
    const { api, ledger, addStatus } = setup();
    const other = await api.createDeployment({
      ref: 'main',
      environment: 'production',
      payload: {} as never,
      description: 'web app',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
    });
    await addStatus(other.id, 'success', 'ok');
    const byHand = await ledger.begin(
      intent({ version: 'v1', from: null, to: allTrafficTo('v1'), key: 'by hand' }),
    );
    await addStatus(Number(byHand.ref), 'success', 'Deployed by hand');
    const journal = await ledger.read('by hand');
    expect(journal.own?.outcome).toMatchObject({ result: 'applied', actor: 'github-actions[bot]' });
    expect(journal.state.live).toBe('v1');

    const step = await ledger.begin(intent({ ...canaryOfV2, key: 'canary', before: journal.state }));
    await ledger.finish(step, outcome('canary', 'applied'));
    // GitHub marks older deployments inactive on its own when another tool deploys with auto_inactive.
    await addStatus(Number(step.ref), 'inactive', '');
    await addStatus(Number(step.ref), 'in_progress', 'Deploying');
    const after = await ledger.read('canary');
    expect(after.own?.outcome).toMatchObject({ result: 'applied', actor: 'alice' });
    expect(after.state.canary).toEqual({ version: 'v2', stable: 'v1' });
    expect(after.warnings).toEqual([]);
  });

  it('skips legacy statuses in states the old ledger never wrote, with a warning', async () => {
    const { ledger, legacyVersion } = setup();
    await legacyVersion('v1', undefined, ['pending', 'manual'], ['success', 'Deployed by hand']);
    const journal = await ledger.read('k');
    expect(journal.warnings).toEqual([
      expect.stringMatching(/^deployment \d+ \(v1\): skipped status \d+ 'pending'/),
    ]);
    expect(journal.state).toMatchObject({ live: 'v1', fullyLive: ['v1'] });
  });

  it("reads a history page by page, inferring outcomes from each next step's state, with statuses of the newest only", async () => {
    const { api, ledger } = setup();
    await takeStep(ledger, { version: 'v1', from: null, to: allTrafficTo('v1'), key: 'first' });
    for (let index = 2; index <= 250; index += 1) {
      const from = allTrafficTo(`v${index - 1}`);
      await takeStep(ledger, { version: `v${index}`, from, to: allTrafficTo(`v${index}`), key: `k${index}` });
    }
    api.requests.length = 0;
    const history = await ledger.history(new Date(0));
    expect(history.steps).toHaveLength(250);
    expect(history.steps.every((step) => step.outcome?.result === 'applied')).toBe(true);
    const newest = history.steps.at(-1)?.ref;
    expect(api.requests).toEqual([
      'deployments page 1',
      'deployments page 2',
      'deployments page 3',
      `statuses ${newest} limit 5`,
    ]);
  });

  it('stops paging once a page reaches back past the time asked for', async () => {
    const { api, ledger } = setup();
    let since = '';
    for (let index = 1; index <= 150; index += 1) {
      const from = index === 1 ? null : allTrafficTo(`v${index - 1}`);
      const taken = await takeStep(ledger, { version: `v${index}`, from, to: allTrafficTo(`v${index}`) });
      if (index === 120) since = taken.timestamp;
    }
    api.requests.length = 0;
    const history = await ledger.history(new Date(since));
    expect(history.steps.map((step) => step.intent.version)).toEqual(
      Array.from({ length: 31 }, (_, i) => `v${120 + i}`),
    );
    expect(api.requests.filter((request) => request.startsWith('deployments'))).toEqual([
      'deployments page 1',
    ]);
  });
});
