import { fakeActionContext } from '../src/index';

describe('fakeActionContext', () => {
  it("reads the given inputs over action.yml's defaults, with the token in ${{ github.token }}", () => {
    const ctx = fakeActionContext('validate-model', { inputs: { 'fail-on': 'never' }, token: 'ghs_x' });
    expect(ctx.read('fail-on')).toBe('never');
    expect(ctx.read('comment')).toBe('auto');
    expect(ctx.read('token')).toBe('ghs_x');
    expect(ctx.read('no-such-input')).toBe('');
  });

  it('refuses an input that action.yml does not declare', () => {
    expect(() => fakeActionContext('validate-model', { inputs: { treshold: 'x' } })).toThrow(
      "action.yml declares no input 'treshold'",
    );
  });

  const NO_DRIFT = {
    dataset: 'events',
    driftShare: 0,
    driftedColumns: [],
    columns: [],
    prediction: null,
    quality: [],
    rows: {},
    profileSource: 'computed' as const,
    issueNumber: null,
  };

  it('records outputs as the runner stores them, masks, log lines and schema-checked reports', async () => {
    const ctx = fakeActionContext('drift-check', { run: { workspace: '/w', eventName: 'schedule' } });
    ctx.setOutputs({ drifted: false, score: 0.25, columns: ['a'], skipped: undefined });
    ctx.mask('s3cret');
    ctx.mask('');
    ctx.info('reading');
    ctx.warning('two\nlines');
    const report = await ctx.publish({ verdict: 'no-drift', title: 'No drift.', details: NO_DRIFT });
    expect(ctx.run).toMatchObject({ workspace: '/w', eventName: 'schedule', event: {} });
    expect(ctx.outputs).toEqual({
      drifted: 'false',
      score: '0.25',
      columns: '["a"]',
      report: JSON.stringify(report),
    });
    expect(ctx.masked).toEqual(['s3cret']);
    expect(ctx.infos).toEqual(['reading']);
    expect(ctx.warnings).toEqual(['two lines']);
    expect(ctx.published).toEqual([{ report, options: {} }]);
    expect(report).toMatchObject({ schemaVersion: 1, action: 'drift-check', checks: [], notes: [] });
    await expect(
      ctx.publish({ verdict: 'nonsense' as 'drift', title: 'x', details: NO_DRIFT }),
    ).rejects.toThrow();
    // A verdict of another action is refused: each action has its own subset.
    await expect(
      ctx.publish({ verdict: 'pass' as 'drift', title: 'x', details: NO_DRIFT }),
    ).rejects.toThrow();
    await expect(ctx.github('t')).rejects.toThrow('no github client factory');
  });
});
