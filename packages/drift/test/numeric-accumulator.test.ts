import { EXACT_MAX_VALUES } from '../src/options';
import { weightBelow } from '../src/sketch/distribution-stats';
import { NumericAccumulator } from '../src/sketch/numeric-accumulator';
import { distributionOf, mergeNumericSketches, sketchSorted } from '../src/sketch/numeric-sketch';
import { rankErrorEpsilon } from '../src/sketch/quantile-sketch';

const CHUNK = 1 << 16;

function feed(values: Float64Array): NumericAccumulator {
  const accumulator = new NumericAccumulator('x');
  for (let start = 0; start < values.length; start += CHUNK)
    accumulator.add(values.subarray(start, start + CHUNK));
  return accumulator;
}

describe('NumericAccumulator', () => {
  it('stays exact up to the exact limit, missing values counted', () => {
    const values = Float64Array.from({ length: 200_000 }, (_, i) =>
      i % 11 === 0 ? Number.NaN : (i * 7919) % 100_003,
    );
    const profile = feed(values).profile();
    expect(profile.sketch).toBeUndefined();
    expect(profile.numeric?.count).toBe(200_000 - Math.ceil(200_000 / 11));
    expect(profile.numeric?.missing).toBe(Math.ceil(200_000 / 11));
  });

  it('sketches beyond it: exact count, sums and extremes, ranks within the bound', () => {
    const n = EXACT_MAX_VALUES + 300_000;
    const values = Float64Array.from(
      { length: n },
      (_, i) => ((i * 2654435761) % 4294967296) / 4294967296 - 0.5,
    );
    values[17] = Number.POSITIVE_INFINITY;
    const { sketch } = feed(values).profile();
    if (sketch === undefined) throw new Error('expected a sketch');
    const finite = values.filter(Number.isFinite);
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    const m2 = finite.reduce((a, b) => a + (b - mean) ** 2, 0);
    expect(sketch.count).toBe(n - 1);
    expect(sketch.missing).toBe(1);
    expect(sketch.sum / sketch.count).toBeCloseTo(mean, 12);
    expect(sketch.m2 / m2).toBeCloseTo(1, 12);
    const sorted = finite.slice().sort();
    expect([sketch.min, sketch.max]).toEqual([sorted[0], sorted.at(-1)]);
    expect(sketch.distinct).toBeUndefined();
    const distribution = distributionOf(sketch);
    const bound = rankErrorEpsilon(sketch.count) * sketch.count;
    expect(distribution.rankError).toBeLessThanOrEqual(bound);
    for (let q = 1; q < 100; q++) {
      const at = sorted[Math.floor((q / 100) * sorted.length)] as number;
      let truth = Math.floor((q / 100) * sorted.length);
      while (sorted[truth] === at) truth++;
      expect(Math.abs(weightBelow(distribution.points, at, true) - truth)).toBeLessThanOrEqual(
        distribution.rankError,
      );
    }
  });

  it('keeps exact counts of a column with few distinct values past the limit', () => {
    const values = Float64Array.from({ length: EXACT_MAX_VALUES + 100_000 }, (_, i) => i % 24);
    const { sketch } = feed(values).profile();
    expect(sketch?.distinct?.size).toBe(24);
    expect(sketch?.distinct?.get(5)).toBe(Math.floor((EXACT_MAX_VALUES + 100_000 - 5 - 1) / 24) + 1);
    expect(distributionOf(sketch as NonNullable<typeof sketch>).rankError).toBe(0);
  });

  it('merges shard sketches in one pass: exact parts equal the whole, ranks within the merged bound', () => {
    const n = 1_300_000;
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1000 + (i % 7));
    const shards = [0, 1, 2].map((s) => sketchSorted(values.filter((_, i) => i % 3 === s).sort(), s));
    const merged = mergeNumericSketches(shards, 'x');
    const whole = sketchSorted(values.slice().sort(), 3);
    expect([merged.count, merged.missing, merged.min, merged.max]).toEqual([n, 3, whole.min, whole.max]);
    expect(merged.sum / whole.sum).toBeCloseTo(1, 10);
    expect(merged.m2 / whole.m2).toBeCloseTo(1, 12);
    const sorted = values.slice().sort();
    const distribution = distributionOf(merged);
    expect(distribution.rankError).toBeLessThanOrEqual(rankErrorEpsilon(n) * n);
    for (let q = 1; q < 50; q++) {
      const truth = Math.floor((q / 50) * n);
      const at = sorted[truth - 1] as number;
      expect(Math.abs(weightBelow(distribution.points, at, true) - truth)).toBeLessThanOrEqual(
        distribution.rankError,
      );
    }
  });
});
