import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextInterner } from '@recsys-actions/data';
import { seededRandom } from '@recsys-actions/testkit';
import { DEFAULT_COLUMNS } from '../src/options';
import { flatLists, readChunkedLists, readRankedLists, type RankedLists } from '../src/recommendations';
import { inSharedIds, rankedListsTask } from '../src/worker-tasks';

// A file written user by user is ranked as it is read, any other by grouping all its rows first: both paths must
// give the same lists, ties in file order, whatever order the users' rows come in.

const dir = mkdtempSync(join(tmpdir(), 'recsys-eval-lists-'));

function file(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `user,item,score\n${lines.join('\n')}\n`);
  return path;
}

/** Each user's rows in one block: 1 to 30 distinct items, scores with ties. */
function usersRows(seed: number): string[][] {
  const random = seededRandom(seed);
  return Array.from({ length: 50 }, (_, user) => {
    const items = new Set<number>();
    const count = 1 + Math.floor(random() * 30);
    while (items.size < count) items.add(Math.floor(random() * 80));
    return [...items].map((item) => `u${user},i${item},${Math.floor(random() * 6) / 5}`);
  });
}

/** The same rows with the users interleaved, each user's rows still in their order. */
function interleaved(blocks: readonly string[][], seed: number): string[] {
  const random = seededRandom(seed);
  const queues = blocks.map((rows) => [...rows]);
  const lines: string[] = [];
  while (queues.some((queue) => queue.length > 0)) {
    const open = queues.filter((queue) => queue.length > 0);
    lines.push((open[Math.floor(random() * open.length)] as string[]).shift() as string);
  }
  return lines;
}

/** Each user's list by name: comparable across files whose ids differ. */
function byName(lists: RankedLists, users: TextInterner, items: TextInterner): Record<string, string[]> {
  const named: Record<string, string[]> = {};
  for (let user = 0; user + 1 < lists.offsets.length; user++) {
    const list = Array.from(lists.items.subarray(lists.offsets[user], lists.offsets[user + 1]));
    if (list.length > 0) named[users.name(user)] = list.map((item) => items.name(item));
  }
  return named;
}

async function readByName(path: string, maxK: number, users = new TextInterner()) {
  const items = new TextInterner();
  const lists = await readRankedLists(path, undefined, DEFAULT_COLUMNS, maxK, users, items);
  return { lists, named: byName(lists, users, items) };
}

describe('recommendation lists', () => {
  it.each([1, 2, 3])('are the same read user by user or interleaved (seed %i)', async (seed) => {
    const blocks = usersRows(seed);
    const grouped = await readByName(file(`grouped-${seed}.csv`, blocks.flat()), 7);
    const mixed = await readByName(file(`mixed-${seed}.csv`, interleaved(blocks, seed + 10)), 7);
    expect(grouped.named).toEqual(mixed.named);
    expect(grouped.lists.rows).toBe(mixed.lists.rows);
    expect(grouped.lists.userCount).toBe(50);
    expect(mixed.lists.userCount).toBe(50);
  });

  it('rank ties in file order, best score first, cut at k', async () => {
    const path = file('ties.csv', ['u1,a,0.5', 'u1,b,0.9', 'u1,c,0.5', 'u1,d,0.1', 'u2,a,1']);
    expect((await readByName(path, 3)).named).toEqual({ u1: ['b', 'a', 'c'], u2: ['a'] });
  });

  it('are laid out in the ids of users interned before, in a file written user by user', async () => {
    const blocks = usersRows(4);
    const users = new TextInterner();
    // Interned in reverse, as the interactions read first may have them: the lists must follow these ids.
    for (let user = 49; user >= 0; user -= 2) users.intern(`u${user}`);
    const shared = await readByName(file('shared.csv', blocks.flat()), 5, users);
    const own = await readByName(file('own.csv', blocks.flat()), 5);
    expect(shared.named).toEqual(own.named);
    for (let user = 0; user + 1 < shared.lists.offsets.length; user++)
      expect(shared.lists.offsets[user + 1]).toBeGreaterThanOrEqual(shared.lists.offsets[user] as number);
  });

  it('in chunks equal the lists in one array, also in the ids of users interned before', async () => {
    const path = file('chunked.csv', usersRows(8).flat());
    // Users interned out of file order (lists moved along cycles), and all but three in file order, as a shard's
    // interactions intern most of them (lists moved as a stable partition).
    const mostInOrder = Array.from({ length: 50 }, (_, user) => `u${user}`).filter(
      (user) => !['u5', 'u17', 'u33'].includes(user),
    );
    for (const before of [[], ['u40', 'u7', 'u12'], mostInOrder]) {
      const interned = () => {
        const users = new TextInterner();
        for (const user of before) users.intern(user);
        return { users, items: new TextInterner() };
      };
      const flat = interned();
      const expected = await readRankedLists(path, undefined, DEFAULT_COLUMNS, 4, flat.users, flat.items);
      const chunked = interned();
      const actual = flatLists(
        await readChunkedLists({ path, format: undefined, columns: DEFAULT_COLUMNS, maxK: 4 }, chunked),
      );
      expect(Array.from(actual.offsets)).toEqual(Array.from(expected.offsets));
      expect(Array.from(actual.items)).toEqual(Array.from(expected.items));
      expect(byName(actual, chunked.users, chunked.items)).toEqual(
        (await readByName(file('chunked-own.csv', usersRows(8).flat()), 4)).named,
      );
    }
  });

  it('are the same when a user comes back at the end of a file otherwise written user by user', async () => {
    const blocks = usersRows(5);
    const user = blocks.findIndex((rows) => rows.length > 2);
    // The user's first row moves to the end of the file, and likewise to the end of the user's rows.
    const moved = (blocks[user] as string[]).shift() as string;
    const comeback = await readByName(file('comeback.csv', [...blocks.flat(), moved]), 10);
    (blocks[user] as string[]).push(moved);
    const mixed = await readByName(file('comeback-mixed.csv', interleaved(blocks, 6)), 10);
    expect(comeback.named).toEqual(mixed.named);
    expect(comeback.lists.rows).toBe(mixed.lists.rows);
  });

  it('name both lines of a repeated pair in a file written user by user', async () => {
    const path = file('repeated-grouped.csv', ['u1,a,1', 'u1,b,2', 'u2,c,1', 'u2,d,1', 'u2,c,3']);
    await expect(readByName(path, 10)).rejects.toThrow(
      `${path} (line 6): repeats user 'u2' and item 'c' (first on line 4); recommend each item once per user`,
    );
  });

  it('cross from a worker in chunks and equal the lists read here, in the shared ids', async () => {
    const path = file('worker-grouped.csv', usersRows(7).flat());
    const users = new TextInterner();
    users.intern('u30');
    const items = new TextInterner();
    const expected = await readRankedLists(path, undefined, DEFAULT_COLUMNS, 6, users, items);
    const request = { path, format: undefined, columns: DEFAULT_COLUMNS, maxK: 6 };
    const { wire } = await rankedListsTask.perform(request);
    const actual = inSharedIds(rankedListsTask.revive(structuredClone(wire)), users, items);
    expect(Array.from(actual.offsets)).toEqual(Array.from(expected.offsets));
    expect(Array.from(actual.items)).toEqual(Array.from(expected.items));
  });
});
