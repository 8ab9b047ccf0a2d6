import fc from 'fast-check';
import { DistinctCounter } from '../src/sketch/distinct-counter';

/** What a Map counting the values holds, and where a value first made more than `limit` distinct. */
function mapCounts(values: number[], limit: number): { map: Map<number, number>; past: number } {
  const map = new Map<number, number>();
  for (const [i, value] of values.entries()) {
    map.set(value, (map.get(value) ?? 0) + 1);
    if (map.size > limit) return { map, past: i };
  }
  return { map, past: -1 };
}

const value = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e300, -1e-300),
  fc.integer({ min: -30, max: 30 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

describe('DistinctCounter', () => {
  it('counts as a Map does, in first-seen order (-0 as +0), and stops one value past its limit', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (values, limit) => {
        const counter = new DistinctCounter(limit);
        const expected = mapCounts(values, limit);
        expect(counter.addAll(Float64Array.from(values))).toBe(expected.past);
        expect([...counter.toMap()]).toEqual([...expected.map]);
        expect(Object.is([...counter.toMap().keys()][0], -0)).toBe(false);
      }),
    );
  });

  it('continues from the counts of a Map', () => {
    const counter = DistinctCounter.of(
      new Map([
        [2, 5],
        [-0, 1],
      ]),
      3,
    );
    expect(counter.addAll(Float64Array.of(0, 2, 7))).toBe(-1);
    expect([...counter.toMap()]).toEqual([
      [2, 6],
      [0, 2],
      [7, 1],
    ]);
    expect(counter.addAll(Float64Array.of(8))).toBe(0);
  });
});
