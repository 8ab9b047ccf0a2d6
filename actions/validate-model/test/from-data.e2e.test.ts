import { expectCleanFailure, matchReportCorpus, runAction, workspaceWith } from '@recsys-actions/testkit';
import { readFileSync } from 'node:fs';

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

  it("gates on Microsoft Recommenders' metrics and reports the per-user tables", async () => {
    // Labels: rating >= 4, so i1 and i3 of u1 are relevant and i6 of u2 is not.
    const run = await runAction({
      action: 'validate-model',
      workspace: workspaceWith({
        ...FILES,
        'probabilities.csv': 'user,item,prediction\nu1,i1,0.9\nu1,i3,0.4\nu2,i6,0.6\n',
        // u1 and u2 share i7; u3 holds i2 and i4. Nobody's train items are recommended to them again.
        'train.csv': 'user,item\nu1,i7\nu2,i7\nu2,i2\nu3,i2\nu3,i4\nu3,i1\n',
      }),
      inputs: {
        recommendations: 'recs.csv',
        interactions: 'truth.csv',
        'rating-predictions': 'probabilities.csv',
        'train-interactions': 'train.csv',
        'relevance-threshold': '4',
        k: '3',
        thresholds: 'auc: {min: 0.9}\nr_precision@3: {min: 0.5}\nserendipity@3: {min: 0.5}',
      },
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toEqual(['Model validation failed (fail-on: critical): auc']);
    const metrics = JSON.parse(run.outputs.metrics ?? '{}');
    // One positive pair beats the negative (0.9 > 0.6), one loses (0.4 < 0.6): auc 0.5, which fails its rule.
    expect(metrics.auc).toBe(0.5);
    expect(metrics.logloss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.4)) / 3, 12);
    // u1 (R = 2) has 1 hit in its first 2 ranks (u2 has nothing rated 4 or more).
    expect(metrics['r_precision@3']).toBe(0.5);
    expect(metrics['map_all@3']).toBeCloseTo((1 + 2 / 3) / 2, 12);
    // u1's history {i7}: cos(i1, i7) = 0, cos(i2, i7) = 1/√(2·2), i3 is not in train → 1 − (1/2)/3.
    // u2's history {i7, i2}: i4 has cos 0 and 1/√2, i5 is not in train → (1 − 1/(2√2) + 1) / 2.
    expect(metrics['serendipity@3']).toBeCloseTo((1 - 1 / 6 + (2 - Math.SQRT1_2 / 2) / 2) / 2, 12);
    expect(run.outputs.verdict).toBe('fail');
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report.details.userTables).toMatchObject({
      k: 3,
      limit: 10000,
      serendipity: { users: 2, rows: [{ user: 'u2' }, { user: 'u1' }] },
      diversity: { users: 2 },
    });
    matchReportCorpus('validate-model-from-data-msr-metrics', run);
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
