import { RunRanker } from '../src/grouped-lists';
import { INT32_CHUNK_LENGTH } from '../src/growable';
import { flatLists } from '../src/recommendations';

// Lists of more than one chunk of kept items cannot be moved in place into user order (moveBlocksInPlace works on
// one array): they are copied. Fed straight to the ranker, as a file written user by user would be read, since a
// file with that many rows would be about 100 MB.

const K = 100;
/** Users of K rows each: just past one chunk of kept items, so runs straddle the chunk boundary. */
const USERS = Math.ceil(INT32_CHUNK_LENGTH / K) + 500;

/** User u's item at file position j: distinct within a user. */
const itemAt = (user: number, position: number) => (position * 7 + user) % 1000;
/** Sort keys ascend with (position · 37) mod K, so the ranked order differs from the file order. */
const keyAt = (position: number) => (position * 37) % K;

function rankerFedInOrder(userAt: (run: number) => number): RunRanker {
  const ranker = new RunRanker(K);
  for (let run = 0; run < USERS; run++) {
    const user = userAt(run);
    for (let position = 0; position < K; position++)
      ranker.add(user, itemAt(user, position), keyAt(position));
  }
  ranker.endRun();
  return ranker;
}

/** User u's list as ranked: its file positions ascending by key (the keys are distinct). */
function expectedList(user: number): number[] {
  const positions = Array.from({ length: K }, (_, position) => position);
  positions.sort((a, b) => keyAt(a) - keyAt(b));
  return positions.map((position) => itemAt(user, position));
}

/** Where two arrays first differ (-1 when equal): jest's deep equality takes seconds on millions of elements. */
function firstDifference(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('RunRanker over more than one chunk of kept items', () => {
  it('copies runs that came in reverse user order into user order', () => {
    const inOrder = rankerFedInOrder((run) => run).inUserOrder(USERS);
    const reversed = rankerFedInOrder((run) => USERS - 1 - run).inUserOrder(USERS);
    expect(reversed.itemChunks.length).toBe(2);
    const expected = flatLists(inOrder);
    const actual = flatLists(reversed);
    expect(actual.userCount).toBe(USERS);
    expect(actual.rows).toBe(USERS * K);
    expect(firstDifference(actual.offsets, expected.offsets)).toBe(-1);
    expect(firstDifference(actual.items, expected.items)).toBe(-1);
    // The user whose list straddles the chunk boundary, and the first and last users.
    const straddling = Math.floor(INT32_CHUNK_LENGTH / K);
    for (const user of [0, straddling, USERS - 1]) {
      const from = actual.offsets[user] as number;
      expect(Array.from(actual.items.subarray(from, from + K))).toEqual(expectedList(user));
    }
  });
});
