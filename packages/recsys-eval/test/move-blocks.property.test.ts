import fc from 'fast-check';
import { moveBlocksInPlace } from '../src/growable';

// The grouped reader keeps each user's list where the file put it, then lays the lists out in user order with
// moveBlocksInPlace: the result must be the blocks concatenated in their new order, whatever that order is.

/** Blocks of 1 to 150 ids (a user's kept list is 1 to maxK long), and the order they are laid out in. */
const layouts = fc
  .array(fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 150 }), { maxLength: 60 })
  .chain((blocks) =>
    fc.record({
      blocks: fc.constant(blocks),
      order: fc.shuffledSubarray(
        blocks.map((_, index) => index),
        { minLength: blocks.length, maxLength: blocks.length },
      ),
    }),
  );

/** The blocks, concatenated, after moveBlocksInPlace lays them out in `order` (block order[0] first). */
function moved(blocks: readonly number[][], order: readonly number[]): number[] {
  const values = Int32Array.from(blocks.flat());
  const ends = new Int32Array(blocks.length);
  let end = 0;
  for (const [index, block] of blocks.entries()) ends[index] = end += block.length;
  const starts = new Int32Array(blocks.length);
  let next = 0;
  for (const block of order) {
    starts[block] = next;
    next += (blocks[block] as number[]).length;
  }
  moveBlocksInPlace(values, ends, blocks.length, starts);
  return Array.from(values);
}

describe('moveBlocksInPlace', () => {
  it('lays blocks out in any new order, each block intact', () => {
    fc.assert(
      fc.property(layouts, ({ blocks, order }) => {
        expect(moved(blocks, order)).toEqual(order.flatMap((block) => blocks[block] as number[]));
      }),
      { numRuns: 300 },
    );
  });

  it('lays blocks out as a stable partition, the layout of a shard whose interactions were read first', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            block: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 150 }),
            // About a tenth of the blocks move behind the others: when they hold at most an eighth of the
            // values, the sequential path moves them, otherwise the cycles do; both must give this layout.
            toBack: fc.nat({ max: 9 }).map((draw) => draw === 0),
          }),
          { maxLength: 60 },
        ),
        (blocks) => {
          const order = [
            ...blocks.flatMap(({ toBack }, index) => (toBack ? [] : [index])),
            ...blocks.flatMap(({ toBack }, index) => (toBack ? [index] : [])),
          ];
          expect(
            moved(
              blocks.map(({ block }) => block),
              order,
            ),
          ).toEqual(order.flatMap((index) => (blocks[index] as { block: number[] }).block));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves blocks already in order as they are, the id 0 included', () => {
    const values = Int32Array.of(0, 5, 0, 7, 9);
    moveBlocksInPlace(values, Int32Array.of(2, 3, 5), 3, Int32Array.of(0, 2, 3));
    expect(Array.from(values)).toEqual([0, 5, 0, 7, 9]);
  });
});
