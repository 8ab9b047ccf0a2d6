import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@recsys-actions/core';
import { evaluate, rankBiasedOverlap, type PairedOptions } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'recsys-eval-paired-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

interface AgreementCase {
  a: number[];
  b: number[];
  p: number;
  rbo: number;
  jaccard: number;
}
const { cases } = JSON.parse(
  readFileSync(new URL('./fixtures/agreement/expected.json', import.meta.url), 'utf8'),
) as { cases: AgreementCase[] };

/** A recommendations file listing each user's items best first (descending scores). */
function listsFile(name: string, lists: readonly (readonly number[])[]): string {
  const rows = lists.flatMap((items, user) => items.map((item, rank) => `u${user},i${item},${1000 - rank}`));
  return file(name, `user,item,score\n${rows.join('\n')}\n`);
}

const paired = (recommendations: string, more: Partial<PairedOptions> = {}): PairedOptions => ({
  recommendations,
  confidences: [0.95],
  resamples: 200,
  seed: 19,
  rboP: 0.9,
  ...more,
});

describe('rankBiasedOverlap', () => {
  it.each(cases)('equals the paper-definition reference for $a.length vs $b.length items at p $p', (row) => {
    expect(rankBiasedOverlap(row.a, row.b, row.p)).toBeCloseTo(row.rbo, 12);
  });

  it('refuses a persistence outside (0, 1), naming it', () => {
    expect(() => rankBiasedOverlap([1], [1], 1)).toThrow(
      new ConfigError('p', 'must lie strictly between 0 and 1, got 1'),
    );
  });
});

describe('evaluate with a champion (paired)', () => {
  // One user per reference case, each with a relevant item, so every user is shared and compared.
  const challenger = listsFile(
    'challenger.csv',
    cases.map((row) => row.a),
  );
  const champion = listsFile(
    'champion.csv',
    cases.map((row) => row.b),
  );
  const interactions = file(
    'truth.csv',
    `user,item\n${cases.map((row, user) => `u${user},i${row.a[0]}`).join('\n')}\n`,
  );

  it('averages Jaccard and RBO over the shared users as the reference does', async () => {
    const result = await evaluate({
      recommendations: challenger,
      interactions,
      k: [100],
      paired: paired(champion),
    });
    const [atK] = result.paired?.agreement.atK ?? [];
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(atK?.jaccard).toBeCloseTo(mean(cases.map((row) => row.jaccard)), 12);
    // rboP is 0.9 for every user; the reference cases at other persistences are checked one by one above.
    const rbo = cases.map((row) => (row.p === 0.9 ? row.rbo : rankBiasedOverlap(row.a, row.b, 0.9)));
    expect(atK?.rbo).toBeCloseTo(mean(rbo), 12);
    expect(atK?.identical).toBeCloseTo(1 / cases.length, 15);
    expect(result.paired?.users).toEqual({
      compared: cases.length,
      shared: cases.length,
      challengerOnly: 0,
      baselineOnly: 0,
    });
  });

  it('counts the catalogue items each model alone reaches in its top k', async () => {
    const a = listsFile('cov-a.csv', [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = listsFile('cov-b.csv', [
      [1, 2, 9],
      [4, 7, 8],
    ]);
    const truth = file('cov-truth.csv', 'user,item\nu0,i1\nu1,i4\n');
    const result = await evaluate({ recommendations: a, interactions: truth, k: [1, 3], paired: paired(b) });
    expect(result.paired?.agreement.atK.map((row) => [row.k, row.coverage, row.identical])).toEqual([
      [1, { challenger: 2, baseline: 2, gained: 0, lost: 0 }, 1],
      [3, { challenger: 6, baseline: 6, gained: 3, lost: 3 }, 0],
    ]);
  });

  it('reports no change, p = 1 and full agreement when the champion is the challenger', async () => {
    const result = await evaluate({
      recommendations: challenger,
      interactions,
      k: [5, 10],
      paired: paired(challenger),
    });
    const comparison = result.paired;
    expect(comparison?.metrics.map((metric) => metric.name)).toContain('ndcg@10');
    expect(comparison?.metrics).toHaveLength(16);
    for (const metric of comparison?.metrics ?? []) {
      expect(metric.relativeChange).toBe(0);
      expect(metric.intervals).toEqual([{ confidence: 0.95, lower: 0, upper: 0 }]);
      expect(metric.pValue).toBe(1);
      expect(metric.adjustedPValue).toBe(1);
    }
    expect(comparison?.method.test).toBe('exact sign-flip');
    expect(comparison?.agreement.atK.map((row) => [row.jaccard, row.rbo, row.identical])).toEqual([
      [1, expect.closeTo(1, 12), 1],
      [1, expect.closeTo(1, 12), 1],
    ]);
  });

  it('compares the means of the shared users: hit_rate@1 doubles from 1/3 to 2/3', async () => {
    const a = listsFile('hit-a.csv', [[1], [2], [3]]);
    const b = listsFile('hit-b.csv', [[1], [9], [3]]);
    const truth = file('hit-truth.csv', 'user,item\nu0,i1\nu1,i2\nu2,i7\n');
    const result = await evaluate({ recommendations: a, interactions: truth, k: [1], paired: paired(b) });
    const hit = result.paired?.metrics.find((metric) => metric.name === 'hit_rate@1');
    expect(hit).toMatchObject({ challenger: 2 / 3, baseline: 1 / 3, relativeChange: expect.closeTo(1, 12) });
    // Differences (0, 1, 0): of the 8 sign flips, half have a mean ≥ 1/3 and all ≤ 1/3, so p = 2 × min(1, 1/2).
    expect(hit?.pValue).toBe(1);
  });

  it('refuses files that share no user, naming the champion file', async () => {
    const other = file('other.csv', 'user,item,score\nstranger,i1,1\n');
    await expect(
      evaluate({ recommendations: challenger, interactions, k: [10], paired: paired(other) }),
    ).rejects.toThrow(/^baselineRecommendations shares no user with recommendations/);
  });

  it('refuses a champion whose lists fill other cut-offs than the challenger', async () => {
    const short = listsFile(
      'short.csv',
      cases.map((row) => row.b.slice(0, 5)),
    );
    await expect(
      evaluate({ recommendations: challenger, interactions, k: [5, 10], paired: paired(short) }),
    ).rejects.toThrow(
      new ConfigError(
        'baselineRecommendations',
        "has lists of at most 5 items, filling k = 5, while recommendations' lists of up to 10 fill k = 5,10; both files need lists as long as the largest k, or k only the cut-offs both fill (e.g. 5)",
      ),
    );
  });

  it('refuses a confidence outside (0.5, 1) before reading any file', async () => {
    await expect(
      evaluate({
        recommendations: 'missing.csv',
        interactions,
        k: [10],
        paired: paired(champion, { confidences: [0.5] }),
      }),
    ).rejects.toThrow(new ConfigError('confidence', 'must lie strictly between 0.5 and 1, got 0.5'));
  });
});
