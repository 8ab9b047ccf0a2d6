import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError } from '@recsys-actions/core';
import { rejectionOf } from '@recsys-actions/testkit';
import { evaluate, isKnownMetricName, parseMetricName } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'recsys-eval-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, Error);

describe('evaluate on a hand-checked example', () => {
  // u1 ranks b (0.9), then c and a tied at 0.5 (c first, as in the file), then d; relevant: a and d.
  // u2 has no recommendations; u3 is not in the ground truth.
  const recommendations = file(
    'hand.csv',
    'user,item,score\nu1,c,0.5\nu1,d,0.1\nu1,a,0.5\nu1,b,0.9\nu3,a,1\n',
  );
  const interactions = file('hand-truth.csv', 'user,item\nu1,a\nu1,d\nu2,b\n');

  it('ranks by score, ties in file order, and averages over the documented user sets', async () => {
    const result = await evaluate({ recommendations, interactions, k: [2, 4] });
    const idcg2 = 1 + 1 / Math.log2(3);
    expect(result.metrics['precision@2']).toBe(0);
    expect(result.metrics['recall@4']).toBe(1);
    expect(result.metrics['map@4']).toBeCloseTo((1 / 3 + 2 / 4) / 2, 15);
    expect(result.metrics['mrr@4']).toBeCloseTo(1 / 3, 15);
    expect(result.metrics['hit_rate@2']).toBe(0);
    // u2 counts as 0 in NDCG only.
    expect(result.metrics['ndcg@2']).toBe(0);
    expect(result.metrics['ndcg@4']).toBeCloseTo((1 / Math.log2(4) + 1 / Math.log2(5)) / idcg2 / 2, 15);
    expect(result.counts).toMatchObject({
      users: 3,
      recommendationRows: 5,
      recommendationUsers: 2,
      groundTruthRows: 3,
      groundTruthUsers: 2,
      evaluatedUsers: 1,
    });
    expect(result.notes).toEqual([
      '1 of 2 ground-truth users have no recommendations: they score 0 in ndcg@k and are left out of the other ranking metrics.',
      '1 recommended users have no relevant interaction and are left out of ranking metrics.',
    ]);
  });

  it('orders by rank when the file has no score column', async () => {
    const ranked = file('ranked.csv', 'user,item,rank\nu1,d,1\nu1,a,2\n');
    const result = await evaluate({ recommendations: ranked, interactions, k: [1] });
    expect(result.metrics['precision@1']).toBe(1);
    expect(result.metrics['mrr@1']).toBe(1);
  });

  it('honours custom column names and format overrides', async () => {
    const recs = file('custom.txt', 'uid\tiid\tp\nu1\ta\t2\n');
    const truth = file('custom-truth.jsonl', '{"uid":"u1","iid":"a"}\n');
    const result = await evaluate({
      recommendations: recs,
      interactions: truth,
      k: [1],
      columns: { user: 'uid', item: 'iid', score: 'p' },
      formats: { recommendations: 'tsv' },
    });
    expect(result.metrics['ndcg@1']).toBe(1);
  });
});

describe('evaluate counts', () => {
  it('adds the prediction and train counts to the ranking counts in one record', async () => {
    const recommendations = file('counts-recs.csv', 'user,item,score\nu1,a,1\nu1,b,0.5\n');
    const interactions = file('counts-truth.csv', 'user,item,rating\nu1,a,5\nu1,c,3\n');
    const ratingPredictions = file('counts-pred.csv', 'user,item,prediction\nu1,a,4\nu1,c,3\nu9,z,1\n');
    const trainInteractions = file('counts-train.csv', 'user,item\nu1,a\nu2,b\nu3,b\n');
    const result = await evaluate({
      recommendations,
      interactions,
      ratingPredictions,
      trainInteractions,
      k: [2],
    });
    expect(result.counts).toEqual({
      users: 1,
      recommendationRows: 2,
      recommendationUsers: 1,
      groundTruthRows: 2,
      groundTruthUsers: 1,
      evaluatedUsers: 1,
      predictionRows: 3,
      matchedPredictionRows: 2,
      trainRows: 3,
    });
  });
});

describe('auc and logloss', () => {
  const recommendations = file('prob-recs.csv', 'user,item,score\nu1,a,1\n');
  const run = (truth: string, predictions: string, relevanceThreshold?: number) =>
    evaluate({
      recommendations,
      interactions: file('prob-truth.csv', `user,item,rating\n${truth}`),
      ratingPredictions: file('prob-pred.csv', `user,item,prediction\n${predictions}`),
      k: [1],
      ...(relevanceThreshold === undefined ? {} : { relevanceThreshold }),
    });

  it('scores 0/1 ratings against predictions read as probabilities', async () => {
    const result = await run('u1,a,1\nu1,b,0\nu1,c,1\n', 'u1,a,0.9\nu1,b,0.4\nu1,c,0.4\n');
    // Pairs (positive, negative): a beats b, c ties b: (1 + 0.5) / 2.
    expect(result.metrics.auc).toBe(0.75);
    expect(result.metrics.logloss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.4)) / 3, 15);
  });

  it('labels by the relevance threshold when one is given, and says why a metric is missing', async () => {
    const graded = await run('u1,a,5\nu1,b,2\n', 'u1,a,4.5\nu1,b,1\n', 4);
    expect(graded.metrics.auc).toBe(1);
    expect(graded.metrics.logloss).toBeUndefined();
    expect(graded.notes).toContain(
      'logloss reads predictions as probabilities, and 4.5 is not between 0 and 1; not reported.',
    );
    const ungraded = await run('u1,a,5\nu1,b,2\n', 'u1,a,0.5\nu1,b,0.1\n');
    expect([ungraded.metrics.auc, ungraded.metrics.logloss]).toEqual([undefined, undefined]);
    expect(ungraded.notes).toContain(
      'auc and logloss are not reported: they need 0/1 ratings in the interactions, or a relevance threshold to make them 0/1.',
    );
    const oneClass = await run('u1,a,1\nu1,b,1\n', 'u1,a,0.5\nu1,b,0.1\n');
    expect(oneClass.metrics.auc).toBeUndefined();
    expect(oneClass.notes).toContain('auc needs both relevant and irrelevant rated pairs; not reported.');
  });
});

describe('evaluate errors', () => {
  const interactions = file('truth.csv', 'user,item,rating\nu1,a,5\n');

  it('rejects cut-offs that are not positive whole numbers as a ConfigError naming k', async () => {
    const recommendations = file('ok.csv', 'user,item,score\nu1,a,1\n');
    for (const k of [[0], [-3], [2.5], []]) {
      const error = await failure(evaluate({ recommendations, interactions, k }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ field: 'k', example: '10, 100' });
    }
  });

  it('names the user, item and both lines of a duplicate recommendation', async () => {
    const recommendations = file('dup.csv', 'user,item,score\nu1,a,1\nu2,a,1\nu1,b,1\nu1,a,0.5\n');
    const error = await failure(evaluate({ recommendations, interactions, k: [5] }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      `${recommendations} (line 5): repeats user 'u1' and item 'a' (first on line 2); recommend each item once per user`,
    );
  });

  it('reports a non-numeric score and a missing column with file, line and column', async () => {
    const bad = file('bad-score.csv', 'user,item,score\nu1,a,high\n');
    expect((await failure(evaluate({ recommendations: bad, interactions, k: [5] }))).message).toBe(
      `${bad} (line 2, column 'score'): has 'high' where a number is required (e.g. 0.25)`,
    );
    const noItem = file('no-item.csv', 'user,score\nu1,1\n');
    expect((await failure(evaluate({ recommendations: noItem, interactions, k: [5] }))).message).toBe(
      `${noItem} (line 1): has no column 'item' (its columns: user, score)`,
    );
    const noScore = file('no-score.csv', 'user,item\nu1,a\n');
    expect((await failure(evaluate({ recommendations: noScore, interactions, k: [5] }))).message).toContain(
      `${noScore} (line 2): has neither a 'score' nor a 'rank' column`,
    );
  });

  it('requires ratings only when a threshold, graded gain or predictions need them', async () => {
    const recommendations = file('plain.csv', 'user,item,score\nu1,a,1\n');
    const unrated = file('unrated.csv', 'user,item\nu1,a\n');
    await expect(evaluate({ recommendations, interactions: unrated, k: [1] })).resolves.toBeDefined();
    const error = await failure(
      evaluate({ recommendations, interactions: unrated, k: [1], ndcgGain: 'exp2' }),
    );
    expect(error.message).toBe(`${unrated} (line 1): has no column 'rating' (its columns: user, item)`);
  });

  it('rejects repeated ground-truth pairs and files that share no user', async () => {
    const recommendations = file('other.csv', 'user,item,score\nzz,a,1\n');
    const repeated = file('repeated.csv', 'user,item\nu1,a\nu1,a\n');
    expect((await failure(evaluate({ recommendations, interactions: repeated, k: [1] }))).message).toContain(
      `(line 3): repeats user 'u1' and item 'a' (first on line 2)`,
    );
    expect((await failure(evaluate({ recommendations, interactions, k: [1] }))).message).toBe(
      `${recommendations}: shares no user with ${interactions}; check that both use the same user ids (e.g. 'u1')`,
    );
  });
});

describe('metric names', () => {
  it('knows every metric at any positive k and the plain rating metrics, nothing else', () => {
    for (const name of [
      'ndcg@10',
      'hit_rate@1',
      'diversity@250',
      'rmse',
      'mae',
      'rsquared',
      'exp_var',
      'auc',
      'logloss',
      'map_all@10',
      'r_precision@5',
      'serendipity@10',
      'distributional_coverage@10',
    ]) {
      expect(isKnownMetricName(name)).toBe(true);
    }
    for (const name of ['ndcg', 'ndcg@0', 'ndcg@01', 'auc@10', 'rmse@10', 'NDCG@10', 'precision@1.5']) {
      expect(isKnownMetricName(name)).toBe(false);
    }
    expect(parseMetricName('map@20')).toEqual({ metric: 'map', k: 20 });
  });
});
