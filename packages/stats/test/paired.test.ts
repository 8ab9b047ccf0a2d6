import { ConfigError } from '@recsys-actions/core';
import {
  bootstrapChanges,
  bootstrapFromChanges,
  columnSums,
  holmAdjust,
  pairedBootstrap,
  pairedColumns,
  pairedSignFlipTest,
  SeededRandom,
  type PairedSample,
} from '../src/index';
import { loadFixture } from './support/fixtures';

interface SampleCase {
  users: number;
  challenger: number[][];
  champion: number[][];
}
interface PValueCase extends SampleCase {
  pValues: number[];
}
interface BootstrapCase extends SampleCase {
  confidence: number;
  relativeChange: number[];
  intervals: { lower: number; upper: number; standardError: number }[];
}
interface PairedFixture {
  exact: PValueCase[];
  bootstrap: BootstrapCase[];
  monteCarlo: PValueCase[];
}

const fixture = loadFixture<PairedFixture>('paired.json');

function sampleOf({ users, challenger, champion }: SampleCase): PairedSample {
  return {
    users,
    metrics: challenger[0]?.length ?? 0,
    challenger: Float64Array.from(challenger.flat()),
    baseline: Float64Array.from(champion.flat()),
  };
}

describe('pairedSignFlipTest', () => {
  it.each(fixture.exact)(
    'enumerates every sign flip of $users users as permutation_test(samples) does',
    (row) => {
      const result = pairedSignFlipTest(sampleOf(row), { resamples: 1, seed: 1 });
      expect(result.exact).toBe(true);
      expect(result.flips).toBe(2 ** row.users);
      // Exact enumeration leaves no randomness: the p-values are counts over 2^n and must be equal.
      expect(result.pValues).toEqual(row.pValues);
    },
  );

  it.each(fixture.monteCarlo)(
    'agrees with permutation_test on $users users within the Monte Carlo error',
    (row) => {
      const result = pairedSignFlipTest(sampleOf(row), { resamples: 10_000, seed: 7 });
      expect(result.exact).toBe(false);
      // Two independent estimates of p from 10,000 draws each differ by about sqrt(2 p (1 − p) / 10,000) ≤ 0.0071.
      for (const [metric, expected] of row.pValues.entries())
        expect(Math.abs((result.pValues[metric] as number) - expected)).toBeLessThan(0.03);
    },
  );

  it('gives the same p-value for the same seed and a p of 1 when the models agree', () => {
    const row = fixture.monteCarlo[0] as PValueCase;
    const first = pairedSignFlipTest(sampleOf(row), { resamples: 500, seed: 3 });
    expect(pairedSignFlipTest(sampleOf(row), { resamples: 500, seed: 3 })).toEqual(first);
    const same = sampleOf({ ...row, challenger: row.champion });
    expect(pairedSignFlipTest(same, { resamples: 500, seed: 3 }).pValues).toEqual([1, 1]);
  });
});

describe('pairedBootstrap (percentile)', () => {
  it.each(fixture.bootstrap)(
    'agrees with scipy.stats.bootstrap(percentile) on $users users at $confidence',
    (row) => {
      // Both draw 10,000 resamples, but different ones, so a bound can differ by its Monte Carlo error: the
      // empirical tail share of a quantile q has a standard error sqrt(q (1 − q) / 10,000), and the difference of
      // two independent estimates sqrt(2) times that. SciPy's bound must lie between our quantiles at q ± 4 of
      // those errors, which holds for lumpy (0/1) metrics too, where a tolerance in the metric's units would not.
      const tail = (1 - row.confidence) / 2;
      const spread = 4 * Math.sqrt((2 * tail * (1 - tail)) / 10_000);
      const [outer, inner] = pairedBootstrap(sampleOf(row), {
        resamples: 10_000,
        seed: 11,
        confidences: [row.confidence + 2 * spread, row.confidence - 2 * spread],
      }).intervals;
      for (const [metric, expected] of row.intervals.entries()) {
        expect(expected.lower).toBeGreaterThanOrEqual(outer?.lower[metric] as number);
        expect(expected.lower).toBeLessThanOrEqual(inner?.lower[metric] as number);
        expect(expected.upper).toBeGreaterThanOrEqual(inner?.upper[metric] as number);
        expect(expected.upper).toBeLessThanOrEqual(outer?.upper[metric] as number);
      }
    },
  );

  it.each(fixture.bootstrap)('computes the observed relative change of $users users exactly', (row) => {
    const result = pairedBootstrap(sampleOf(row), { resamples: 1, seed: 1, confidences: [0.9] });
    for (const [metric, expected] of row.relativeChange.entries())
      expect(result.relativeChange[metric]).toBeCloseTo(expected, 12);
  });

  it('joins runs of resamples drawn apart (as on two threads) into exactly the one-thread bootstrap', () => {
    const row = fixture.bootstrap[1] as BootstrapCase;
    const sample = sampleOf(row);
    const options = { resamples: 1001, seed: 7, confidences: [0.9, 0.95] };
    const parts = [
      bootstrapChanges(sample, options, { first: 0, count: 333 }),
      bootstrapChanges(sample, options, { first: 333, count: 1 }),
      bootstrapChanges(sample, options, { first: 334, count: 667 }),
    ];
    expect(bootstrapFromChanges(sample, parts, options)).toEqual(pairedBootstrap(sample, options));
    expect(() => bootstrapFromChanges(sample, parts.slice(1), options)).toThrow(
      `parts must hold ${2 * 1001} resampled changes, got ${2 * 668}`,
    );
  });

  it('is deterministic for a seed and nests intervals by confidence', () => {
    const row = fixture.bootstrap[1] as BootstrapCase;
    const options = { resamples: 2000, seed: 5, confidences: [0.8, 0.95] };
    const result = pairedBootstrap(sampleOf(row), options);
    expect(pairedBootstrap(sampleOf(row), options)).toEqual(result);
    const [narrow, wide] = result.intervals;
    for (let metric = 0; metric < 2; metric++) {
      expect(wide?.lower[metric]).toBeLessThanOrEqual(narrow?.lower[metric] as number);
      expect(wide?.upper[metric]).toBeGreaterThanOrEqual(narrow?.upper[metric] as number);
    }
  });

  it.each([0.5, 1, 0.3, Number.NaN])('refuses confidence %p, naming the field', (confidence) => {
    const row = fixture.bootstrap[0] as BootstrapCase;
    expect(() =>
      pairedBootstrap(sampleOf(row), { resamples: 10, seed: 1, confidences: [confidence] }),
    ).toThrow(new ConfigError('confidence', `must lie strictly between 0.5 and 1, got ${confidence}`));
  });
});

describe('a sample by metric (pairedColumns)', () => {
  // Mostly zeros, as ranking metrics at small cut-offs are: the columns keep only the nonzero entries.
  const random = new SeededRandom(3);
  const value = () => (random.nextUint32() % 3 === 0 ? random.nextUint32() / 2 ** 32 : 0);
  const sampleOfSize = (users: number, metrics: number): PairedSample => ({
    users,
    metrics,
    challenger: Float64Array.from({ length: users * metrics }, value),
    baseline: Float64Array.from({ length: users * metrics }, value),
  });

  it.each([
    [12, 3],
    [300, 1],
    [300, 5],
  ])('gives the same numbers as the rows it was made from (%p users, %p metrics)', (users, metrics) => {
    const sample = sampleOfSize(users, metrics);
    const columns = pairedColumns(sample);
    expect(columns.starts[metrics]).toBeLessThan(users * metrics);
    const options = { resamples: 203, seed: 9, confidences: [0.9] };
    expect(pairedBootstrap(columns, options)).toEqual(pairedBootstrap(sample, options));
    expect(pairedSignFlipTest(columns, options)).toEqual(pairedSignFlipTest(sample, options));
    const sums = columnSums(columns);
    for (let metric = 0; metric < metrics; metric++) {
      let challenger = 0;
      for (let user = 0; user < users; user++)
        challenger += sample.challenger[user * metrics + metric] as number;
      expect(sums.challenger[metric]).toBe(challenger);
    }
  });

  it('refuses columns whose arrays do not match their starts', () => {
    const columns = pairedColumns(sampleOfSize(20, 2));
    expect(() =>
      pairedBootstrap(
        { ...columns, rows: columns.rows.subarray(1) },
        { resamples: 5, seed: 1, confidences: [0.9] },
      ),
    ).toThrow(ConfigError);
  });
});

describe('holmAdjust', () => {
  it('multiplies the i-th smallest p by m − i + 1, keeps the order monotone and caps at 1', () => {
    // Worked by hand: sorted 0.01, 0.02, 0.03, 0.5 -> 0.04, 0.06, 0.06 (monotone), 0.5.
    expect(holmAdjust([0.03, 0.5, 0.01, 0.02])).toEqual([expect.closeTo(0.06, 15), 0.5, 0.04, 0.06]);
    expect(holmAdjust([0.4, 0.6])).toEqual([0.8, 0.8]);
    expect(holmAdjust([0.9, 0.7, NaN])).toEqual([1, 1, NaN]);
  });
});
