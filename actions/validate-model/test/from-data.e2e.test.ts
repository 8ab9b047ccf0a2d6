import { expectCleanFailure, matchReportCorpus, runAction, workspaceWith } from '@recsys-actions/testkit';

// Two users. u1's list ranks i1 (relevant) first and i3 (relevant) third; u2's list has no hit.
const FILES = {
  'recs.csv': 'user,item,score\nu1,i1,0.9\nu1,i2,0.8\nu1,i3,0.7\nu2,i4,0.9\nu2,i5,0.1\n',
  'truth.csv': 'user,item,rating\nu1,i1,5\nu1,i3,4\nu2,i6,3\n',
  'preds.csv': 'user,item,prediction\nu1,i1,4.5\nu1,i3,4\nu2,i6,4\n',
};

describe('validate-model computing metrics from data (built dist)', () => {
  it('computes ranking and rating metrics and gates on them', async () => {
    const run = await runAction({
      action: 'validate-model',
      workspace: workspaceWith(FILES),
      inputs: {
        recommendations: 'recs.csv',
        interactions: 'truth.csv',
        'rating-predictions': 'preds.csv',
        k: '3,1',
        thresholds: 'precision@3: {min: 0.3}\nrmse: {max: 0.7}',
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const metrics = JSON.parse(run.outputs.metrics ?? '{}');
    // precision@3: u1 2/3, u2 0 → 1/3. recall@3: u1 1, u2 0 → 0.5. rmse: sqrt((0.25 + 0 + 1)/3).
    expect(metrics['precision@3']).toBeCloseTo(1 / 3, 12);
    expect(metrics['recall@3']).toBeCloseTo(0.5, 12);
    expect(metrics['precision@1']).toBeCloseTo(0.5, 12);
    // ndcg@3 for u1: (1 + 1/log2(4)) / (1 + 1/log2(3)); u2 scores 0.
    expect(metrics['ndcg@3']).toBeCloseTo((1 + 0.5) / (1 + 1 / Math.log2(3)) / 2, 12);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(1.25 / 3), 12);
    expect(metrics.mae).toBeCloseTo(1.5 / 3, 12);
    expect(run.outputs.verdict).toBe('pass');
    matchReportCorpus('validate-model-from-data-pass', run);
  });

  const cases: [string, Record<string, string>, Record<string, string>, RegExp][] = [
    [
      'a CSV without the score or rank column',
      { 'recs.csv': 'user,item,points\nu1,i1,1\n' },
      {},
      /^recs\.csv.*has neither a 'score' nor a 'rank' column/,
    ],
    ['a missing user column', { 'recs.csv': 'customer,item,score\nu1,i1,1\n' }, {}, /^recs\.csv.*'user'/],
    [
      'a non-numeric score',
      { 'recs.csv': 'user,item,score\nu1,i1,high\n' },
      {},
      /^recs\.csv \(line 2.*score/,
    ],
    [
      'duplicate (user, item) rows',
      { 'recs.csv': 'user,item,score\nu1,i1,0.9\nu1,i1,0.8\n' },
      {},
      /^recs\.csv.*line 3.*u1.*i1/,
    ],
    ['k of zero', {}, { k: '10,0' }, /^Input 'k' must be whole numbers from 1 to 1000, got '0'/],
    [
      'a missing interactions file',
      {},
      { interactions: 'nope.csv' },
      /^Input 'interactions' names a file that does not exist/,
    ],
  ];
  it.each(cases)('rejects %s with one clear error', async (_, overrides, inputs, message) => {
    const run = await runAction({
      action: 'validate-model',
      workspace: workspaceWith({ ...FILES, ...overrides }),
      inputs: { recommendations: 'recs.csv', interactions: 'truth.csv', ...inputs },
    });
    expect(expectCleanFailure(run)).toMatch(message);
  });
});
