import { UserFacingError } from '@recsys-actions/core';
import {
  chiSquareContingency,
  chiSquareGoodnessOfFit,
  twoProportionZTest,
  type ProportionCount,
} from '../src/index';
import {
  expectClose,
  expectRelativelyClose,
  loadFixture,
  P_VALUE_TOLERANCE,
  STATISTIC_TOLERANCE,
} from './support/fixtures';

interface ChiSquareCase {
  reference: number[];
  current: number[];
  yates: boolean;
  statistic: number;
  pValue: number;
  degreesOfFreedom: number;
}

interface ProportionCase {
  reference: ProportionCount;
  current: ProportionCount;
  statistic: number;
  pValue: number;
}

describe('chiSquareContingency', () => {
  const cases = loadFixture<ChiSquareCase[]>('chi-square.json');

  it.each(cases)('matches chi2_contingency for $reference vs $current (yates $yates)', (row) => {
    const result = chiSquareContingency(Uint32Array.from(row.reference), Int32Array.from(row.current), {
      yates: row.yates,
    });
    expectClose(result.statistic, row.statistic, STATISTIC_TOLERANCE);
    expectRelativelyClose(result.pValue, row.pValue, P_VALUE_TOLERANCE);
    expect(result.degreesOfFreedom).toBe(row.degreesOfFreedom);
    expect(result.yatesCorrected).toBe(row.yates && row.degreesOfFreedom === 1);
  });

  it('applies Yates correction by default on two categories, like SciPy', () => {
    const corrected = chiSquareContingency([10, 20], [30, 40]);
    const plain = chiSquareContingency([10, 20], [30, 40], { yates: false });
    expect(corrected.yatesCorrected).toBe(true);
    expect(corrected.statistic).toBeLessThan(plain.statistic);
  });

  it('drops categories empty in both samples instead of dividing by a zero expectation', () => {
    const withEmpty = chiSquareContingency([12, 0, 30, 8], [20, 0, 25, 4]);
    const without = chiSquareContingency([12, 30, 8], [20, 25, 4]);
    expect(withEmpty).toEqual(without);
  });

  it('reports no evidence with a single category', () => {
    expect(chiSquareContingency([7, 0], [3, 0])).toEqual({
      statistic: 0,
      pValue: 1,
      degreesOfFreedom: 0,
      yatesCorrected: false,
    });
  });

  it('refuses an empty sample and misaligned categories', () => {
    expect(() => chiSquareContingency([0, 0], [1, 2])).toThrow(UserFacingError);
    expect(() => chiSquareContingency([1, 2], [1])).toThrow(/one count per category/);
  });
});

describe('twoProportionZTest', () => {
  const cases = loadFixture<ProportionCase[]>('two-proportion.json');

  it.each(cases)(
    'matches the pooled z and 2·norm.sf(|z|) for $reference.successes/$reference.total',
    (row) => {
      const result = twoProportionZTest(row.reference, row.current);
      expectClose(result.statistic, row.statistic, STATISTIC_TOLERANCE);
      expectRelativelyClose(result.pValue, row.pValue, P_VALUE_TOLERANCE);
    },
  );

  it('is positive when the current proportion is higher', () => {
    expect(
      twoProportionZTest({ successes: 1, total: 10 }, { successes: 5, total: 10 }).statistic,
    ).toBeGreaterThan(0);
  });

  it('returns z = 0 and p = 1 when both proportions are 0 or both are 1', () => {
    expect(twoProportionZTest({ successes: 0, total: 10 }, { successes: 0, total: 4 })).toEqual({
      statistic: 0,
      pValue: 1,
    });
    expect(twoProportionZTest({ successes: 10, total: 10 }, { successes: 4, total: 4 }).pValue).toBe(1);
  });

  it('refuses impossible counts', () => {
    expect(() => twoProportionZTest({ successes: 11, total: 10 }, { successes: 1, total: 4 })).toThrow(
      /reference sample, got 11 of 10/,
    );
    expect(() => twoProportionZTest({ successes: 0, total: 10 }, { successes: 0, total: 0 })).toThrow(
      UserFacingError,
    );
  });
});

describe('chiSquareGoodnessOfFit', () => {
  const cases = loadFixture<Omit<ChiSquareCase, 'yates'>[]>('goodness-of-fit.json');

  it.each(cases)('matches scipy.stats.chisquare for $current against $reference', (row) => {
    const result = chiSquareGoodnessOfFit(Uint32Array.from(row.reference), Int32Array.from(row.current));
    expectClose(result.statistic, row.statistic, STATISTIC_TOLERANCE);
    expectRelativelyClose(result.pValue, row.pValue, P_VALUE_TOLERANCE);
    expect(result.degreesOfFreedom).toBe(row.degreesOfFreedom);
  });

  it('is infinite with p = 0 for a category the reference never saw, and drops categories seen by neither', () => {
    expect(chiSquareGoodnessOfFit([10, 0, 5], [8, 1, 5])).toEqual({
      statistic: Infinity,
      pValue: 0,
      degreesOfFreedom: 2,
    });
    expect(chiSquareGoodnessOfFit([10, 0, 5], [10, 0, 5])).toEqual({
      statistic: 0,
      pValue: 1,
      degreesOfFreedom: 1,
    });
    expect(chiSquareGoodnessOfFit([4, 0], [9, 0])).toEqual({ statistic: 0, pValue: 1, degreesOfFreedom: 0 });
  });

  it('refuses an empty sample', () => {
    expect(() => chiSquareGoodnessOfFit([0, 0], [1, 2])).toThrow(UserFacingError);
  });
});
