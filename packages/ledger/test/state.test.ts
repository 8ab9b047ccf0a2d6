import { allTrafficTo, canarySplit } from '@recsys-actions/traffic';
import {
  advance,
  EMPTY_RELEASE_STATE,
  releaseStateSchema,
  stateFromEvents,
  type ReleaseState,
} from '../src/index';
import { canary, promoted, rolledBack, superseded, validated } from './events';
import { intent, type StepFields, CANARY_OF_V2_STATE } from './steps';

/** The state after each step in turn, every one starting from the state the previous left. */
function afterSteps(steps: StepFields[], start: ReleaseState = EMPTY_RELEASE_STATE): ReleaseState {
  return steps.reduce((state, fields) => advance(state, intent({ ...fields, before: state })), start);
}

const promote = (version: string, previous?: string): StepFields => ({
  version,
  from: previous === undefined ? null : allTrafficTo(previous),
  to: allTrafficTo(version),
});

describe('advance', () => {
  it('makes the version of a first release live, fully live and seen', () => {
    expect(afterSteps([promote('v1')])).toEqual({
      live: 'v1',
      split: allTrafficTo('v1'),
      fullyLive: ['v1'],
      rolledBack: [],
      seen: ['v1'],
    });
  });

  it('records a first canary with the version it is measured against, which stays live', () => {
    const state = afterSteps([
      promote('v1'),
      { version: 'v2', from: allTrafficTo('v1'), to: canarySplit('v1', 'v2', 10), stable: 'v1' },
    ]);
    expect(state).toEqual(CANARY_OF_V2_STATE);
  });

  it('records a canary without a stable version as such, keeping the live version it had', () => {
    const state = afterSteps([
      promote('v1'),
      { version: 'v2', from: allTrafficTo('v1'), to: canarySplit('v1', 'v2', 10) },
    ]);
    expect(state.canary).toEqual({ version: 'v2' });
    expect(state.live).toBe('v1');
  });

  it('moves a promoted canary to fully live and ends the canary', () => {
    const state = afterSteps([
      promote('v1'),
      { version: 'v2', from: allTrafficTo('v1'), to: canarySplit('v1', 'v2', 10), stable: 'v1' },
      { version: 'v2', from: canarySplit('v1', 'v2', 10), to: canarySplit('v1', 'v2', 50), stable: 'v1' },
      { version: 'v2', from: canarySplit('v1', 'v2', 50), to: allTrafficTo('v2'), stable: 'v1' },
    ]);
    expect(state.canary).toBeUndefined();
    expect(state).toMatchObject({ live: 'v2', fullyLive: ['v1', 'v2'], split: allTrafficTo('v2') });
  });

  it('marks the versions a rollback takes out of traffic and makes its target live again', () => {
    const state = afterSteps([
      promote('v1'),
      promote('v2', 'v1'),
      { version: 'v3', from: allTrafficTo('v2'), to: canarySplit('v2', 'v3', 20), stable: 'v2' },
      {
        step: 'rollback',
        version: 'v1',
        from: canarySplit('v2', 'v3', 20),
        to: allTrafficTo('v1'),
        leaving: ['v2', 'v3'],
        reason: 'error rate 4 % over the 1 % budget',
      },
    ]);
    expect(state).toEqual({
      live: 'v1',
      split: allTrafficTo('v1'),
      fullyLive: ['v2', 'v1'],
      rolledBack: ['v2', 'v3'],
      seen: ['v1', 'v2', 'v3'],
    });
  });

  it('never marks the target of a rollback as rolled back, even when an earlier rollback did', () => {
    const state = afterSteps([
      promote('v1'),
      promote('v2', 'v1'),
      { step: 'rollback', version: 'v1', from: allTrafficTo('v2'), to: allTrafficTo('v1'), leaving: ['v2'] },
      { step: 'rollback', version: 'v2', from: allTrafficTo('v1'), to: allTrafficTo('v2'), leaving: ['v1'] },
    ]);
    expect(state).toMatchObject({ live: 'v2', rolledBack: ['v1'] });
  });

  it('clears the mark of a rolled-back version that a later shift names again', () => {
    const rolledBackV2 = afterSteps([
      promote('v1'),
      promote('v2', 'v1'),
      { step: 'rollback', version: 'v1', from: allTrafficTo('v2'), to: allTrafficTo('v1'), leaving: ['v2'] },
    ]);
    expect(rolledBackV2.rolledBack).toEqual(['v2']);

    const canaryAgain = afterSteps(
      [{ version: 'v2', from: allTrafficTo('v1'), to: canarySplit('v1', 'v2', 5), stable: 'v1' }],
      rolledBackV2,
    );
    expect(canaryAgain.rolledBack).toEqual([]);
    expect(canaryAgain.canary).toEqual({ version: 'v2', stable: 'v1' });

    expect(afterSteps([promote('v2', 'v1')], rolledBackV2)).toMatchObject({ live: 'v2', rolledBack: [] });
  });

  it('notes a version alone in the split a step started from as fully live, though the journal never saw it', () => {
    const state = afterSteps([
      { version: 'v2', from: allTrafficTo('v1'), to: canarySplit('v1', 'v2', 10), stable: 'v1' },
    ]);
    expect(state).toMatchObject({ live: 'v1', fullyLive: ['v1'], seen: ['v1', 'v2'] });
    expect(
      afterSteps([{ version: 'v3', from: canarySplit('v1', 'v2', 10), to: allTrafficTo('v3') }]),
    ).toMatchObject({ fullyLive: ['v3'], seen: ['v1', 'v2', 'v3'] });
  });

  it('keeps only the newest 50 fully live versions and 100 seen ones, so a state always fits its schema', () => {
    const versions = Array.from({ length: 120 }, (_, index) => `v${index + 1}`);
    const state = afterSteps(versions.map((version, index) => promote(version, versions[index - 1])));
    expect(state.fullyLive).toEqual(versions.slice(-50));
    expect(state.seen).toEqual(versions.slice(-100));
    expect(state.live).toBe('v120');
    expect(releaseStateSchema().safeParse(state).success).toBe(true);

    const leaving = versions.slice(0, 60);
    const afterRollback = afterSteps([
      { step: 'rollback', version: 'v120', from: allTrafficTo('v119'), to: allTrafficTo('v120'), leaving },
    ]);
    expect(afterRollback.rolledBack).toEqual(leaving.slice(-50));
    expect(releaseStateSchema().safeParse(afterRollback).success).toBe(true);
  });
});

describe('stateFromEvents', () => {
  it('reads an empty history as the empty state', () => {
    expect(stateFromEvents([])).toEqual(EMPTY_RELEASE_STATE);
  });

  it('folds promotions, canaries and supersessions of the plain history', () => {
    const split = canarySplit('v1', 'v2', 10);
    const state = stateFromEvents([
      validated('v1'),
      promoted('v1'),
      validated('v2'),
      { ...canary('v2', 10), split },
    ]);
    expect(state).toEqual({
      live: 'v1',
      split,
      fullyLive: ['v1'],
      rolledBack: [],
      canary: { version: 'v2', stable: 'v1' },
      seen: ['v1', 'v2'],
    });

    const promotedV2 = stateFromEvents([
      promoted('v1'),
      canary('v2', 10),
      { ...promoted('v2'), split: allTrafficTo('v2') },
      superseded('v1'),
    ]);
    expect(promotedV2).toEqual({
      live: 'v2',
      split: allTrafficTo('v2'),
      fullyLive: ['v1', 'v2'],
      rolledBack: [],
      seen: ['v1', 'v2'],
    });
  });

  it('reads the old rollback (the version rolled back, then its target promoted) as a rollback', () => {
    const state = stateFromEvents([
      promoted('v1'),
      promoted('v2'),
      superseded('v1'),
      rolledBack('v2'),
      promoted('v1'),
    ]);
    expect(state).toEqual({ live: 'v1', fullyLive: ['v2', 'v1'], rolledBack: ['v2'], seen: ['v1', 'v2'] });
  });

  it('ends a canary that was rolled back and keeps the live version it was measured against', () => {
    const state = stateFromEvents([promoted('v1'), canary('v2', 10), rolledBack('v2')]);
    expect(state).toEqual({ live: 'v1', fullyLive: ['v1'], rolledBack: ['v2'], seen: ['v1', 'v2'] });
  });

  it('clears the mark of a rolled-back version promoted or tried again', () => {
    const base = [promoted('v1'), promoted('v2'), rolledBack('v2'), promoted('v1')];
    expect(stateFromEvents([...base, canary('v2', 10)])).toMatchObject({
      rolledBack: [],
      canary: { version: 'v2', stable: 'v1' },
    });
    expect(stateFromEvents([...base, promoted('v2')])).toMatchObject({ rolledBack: [], live: 'v2' });
  });
});
