import { seededRandom } from '@recsys-actions/testkit';
import { RowRanker } from '../src/list-rows';

/** Positions ordered by key, ties in position order: what Array.prototype.sort (stable) gives. */
function stableOrder(keys: Float64Array): number[] {
  return Array.from(keys.keys()).sort((a, b) => (keys[a] as number) - (keys[b] as number));
}

describe('RowRanker', () => {
  it.each([0, 1, 2, 15, 16, 17, 33, 100, 257, 1000])(
    'orders %i keys ascending, equal keys in file order, as a stable sort does',
    (count) => {
      const random = seededRandom(count + 1);
      const ranker = new RowRanker();
      // Few distinct values, so most keys tie; -0 and 0 compare equal and keep their order too.
      const keys = Float64Array.from({ length: count }, () => {
        const value = Math.floor(random() * 7) - 3;
        return value === 0 && random() < 0.5 ? -0 : value / 4;
      });
      expect(Array.from(ranker.rank(keys, count))).toEqual(stableOrder(keys));
    },
  );

  it('ranks a shorter list after a longer one, reusing its space', () => {
    const ranker = new RowRanker();
    ranker.rank(
      Float64Array.from({ length: 300 }, (_, i) => -i),
      300,
    );
    expect(Array.from(ranker.rank(Float64Array.of(0.5, -1, 0.5), 3))).toEqual([1, 0, 2]);
  });
});
