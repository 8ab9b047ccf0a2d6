import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePartial, mergePartials, parsePartial, type EvaluationPartial } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'recsys-eval-partial-'));
const file = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};

async function partialOf(recs: string, truth: string): Promise<EvaluationPartial> {
  return evaluatePartial({
    recommendations: file('r.csv', recs),
    interactions: file('t.csv', truth),
    k: [1, 2],
  });
}

const failureOf = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
};

describe('partial result files', () => {
  it('round-trip through JSON and name the first invalid field', async () => {
    const partial = await partialOf('user,item,score\nu1,a,1\nu1,b,0.5\n', 'user,item\nu1,b\n');
    expect(parsePartial('p.json', JSON.stringify(partial))).toEqual(partial);
    expect(partial.ranking.precision).toEqual([0, 0.5]);
    const broken = { ...partial, counts: { ...partial.counts, evaluatedUsers: -1 } };
    expect(failureOf(() => parsePartial('p.json', JSON.stringify(broken)))).toMatch(
      /^p\.json: has an invalid field 'counts\.evaluatedUsers': /,
    );
    expect(failureOf(() => parsePartial('p.json', '{"format": "drift-profile", "version": 1}'))).toBe(
      `p.json: has format "drift-profile" (field 'format'); expected 'recsys-eval-partial', a partial result written by partial-only`,
    );
    expect(failureOf(() => parsePartial('p.json', 'not json'))).toMatch(/^p\.json: is not JSON/);
  });

  it('refuses per-cut-off arrays of the wrong length, and a merge with nobody to score', async () => {
    const partial = await partialOf('user,item,score\nu1,a,1\n', 'user,item\nu1,b\n');
    const short = { ...partial, ranking: { ...partial.ranking, ndcg: [0] } };
    expect(failureOf(() => mergePartials([{ path: 'a.json', partial: short }]))).toBe(
      "a.json: has 1 entries in field 'ranking.ndcg', expected 2",
    );
    const nobody = await partialOf('user,item,score\nu1,a,1\n', 'user,item\nu2,b\n');
    expect(nobody.counts.evaluatedUsers).toBe(0);
    expect(failureOf(() => mergePartials([{ path: 'a.json', partial: nobody }]))).toMatch(
      /^a\.json: share no user between recommendations and interactions/,
    );
  });
});
