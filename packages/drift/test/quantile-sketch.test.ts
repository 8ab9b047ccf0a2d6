import fc from 'fast-check';
import { weightBelow } from '../src/sketch/distribution-stats';
import { QuantileSketch, rankErrorEpsilon } from '../src/sketch/quantile-sketch';

/** A small k makes the sketch compact many times on test-sized inputs, so the bound is exercised, not idle. */
const K = 64;

/** The largest |estimated − true| rank over every input value and a point below them all. */
function worstRankError(sketch: QuantileSketch, values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const points = sketch.points();
  let worst = weightBelow(points, -Infinity, true);
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i + 1] === sorted[i]) continue;
    const truth = i + 1;
    worst = Math.max(worst, Math.abs(weightBelow(points, sorted[i] as number, true) - truth));
  }
  return worst;
}

const values = fc.array(
  fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  {
    maxLength: 6000,
    size: 'large',
  },
);

describe('QuantileSketch', () => {
  it('keeps every rank within its own bound, and that bound within ε·n', () => {
    let compacted = 0;
    fc.assert(
      fc.property(values, (input) => {
        const sketch = new QuantileSketch(K);
        sketch.addMany(input);
        expect(sketch.count).toBe(input.length);
        expect(sketch.points().cumulative.at(-1) ?? 0).toBe(input.length);
        const error = worstRankError(sketch, input);
        expect(error).toBeLessThanOrEqual(sketch.rankErrorBound);
        expect(sketch.rankErrorBound).toBeLessThanOrEqual(rankErrorEpsilon(input.length, K) * input.length);
        if (sketch.rankErrorBound > 0) compacted++;
      }),
      { numRuns: 150 },
    );
    // Most runs must have compacted, or the bound was never at stake.
    expect(compacted).toBeGreaterThan(75);
  });

  it('takes sorted chunks through addSorted into the very sketch addMany makes of them', () => {
    // As a streamed column feeds it: chunks of any length, each sorted, some leaving the bottom level part full.
    const chunks = fc.array(values, { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(chunks, (parts) => {
        const direct = new QuantileSketch(K);
        const copied = new QuantileSketch(K);
        for (const part of parts) {
          const sorted = Float64Array.from(part).sort();
          direct.addSorted(sorted);
          copied.addMany(sorted);
        }
        expect(direct.state()).toEqual(copied.state());
      }),
      { numRuns: 150 },
    );
  });

  it('merges shards in any order into a sketch of the whole within ε', () => {
    const shards = fc.array(values, { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(shards, fc.func(fc.integer()), (parts, key) => {
        const order = parts.map((_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
        const merged = new QuantileSketch(K);
        for (const i of order) {
          const shard = new QuantileSketch(K);
          shard.addMany(parts[i] as number[]);
          merged.merge(shard);
        }
        const whole = parts.flat();
        const error = worstRankError(merged, whole);
        expect(merged.count).toBe(whole.length);
        expect(error).toBeLessThanOrEqual(merged.rankErrorBound);
        expect(merged.rankErrorBound).toBeLessThanOrEqual(rankErrorEpsilon(whole.length, K) * whole.length);
      }),
      { numRuns: 100 },
    );
  });

  it('is exact until it first compacts, and restores from its state', () => {
    const sketch = new QuantileSketch(K);
    sketch.addMany([3, 1, 2, 2]);
    expect(sketch.rankErrorBound).toBe(0);
    expect(Array.from(sketch.points().values)).toEqual([1, 2, 3]);
    expect(Array.from(sketch.points().cumulative)).toEqual([1, 3, 4]);
    const big = new QuantileSketch(K);
    big.addMany(Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000));
    const copy = QuantileSketch.fromState(big.state());
    expect(copy.points()).toEqual(big.points());
    expect(copy.rankErrorBound).toBe(big.rankErrorBound);
  });
});
