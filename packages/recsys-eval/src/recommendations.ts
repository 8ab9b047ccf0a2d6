import { DataError } from '@recsys-actions/core';
import type { TabularFormat } from '@recsys-actions/data';
import { readRows } from '@recsys-actions/data';
import { readGroupedLists } from './grouped-lists';
import { INT32_CHUNK_LENGTH, ChunkedColumn, release } from './growable';
import { listColumnSpecs, RowRanker, rowsOf } from './list-rows';
import type { TextInterner } from '@recsys-actions/data';
import type { ColumnNames } from './options';

/** Each user's top items, best first, cut at the largest k. */
export interface RankedLists {
  readonly rows: number;
  /** Users with at least one recommendation. */
  readonly userCount: number;
  /** The list of user u is `items[offsets[u] .. offsets[u + 1])`; users without recommendations have none. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/**
 * {@link RankedLists} as the reader leaves them: the items in chunks of {@link INT32_CHUNK_LENGTH} (item i is
 * `itemChunks[i / INT32_CHUNK_LENGTH][i % INT32_CHUNK_LENGTH]`), so they can move to another thread without
 * first being copied into one array.
 */
export interface ChunkedRankedLists extends Omit<RankedLists, 'items'> {
  readonly itemChunks: Int32Array[];
}

/**
 * Reads recommendations and ranks each user's items by score descending (or rank ascending when the file has
 * no score column), ties kept in file order (as Microsoft Recommenders' stable sort keeps them), keeping the first
 * `maxK`.
 */
export async function readRankedLists(
  path: string,
  format: TabularFormat | undefined,
  columns: ColumnNames,
  maxK: number,
  users: TextInterner,
  items: TextInterner,
): Promise<RankedLists> {
  return flatLists(await readChunkedLists({ path, format, columns, maxK }, { users, items }));
}

/** A recommendations file to read, and the cut-off its lists are kept to. */
export interface ListsSource {
  readonly path: string;
  readonly format: TabularFormat | undefined;
  readonly columns: ColumnNames;
  readonly maxK: number;
}

/** The ids a file's users and items are interned in. */
export interface ListInterners {
  readonly users: TextInterner;
  readonly items: TextInterner;
}

/**
 * {@link readRankedLists} with the items left in chunks, to move to another thread. A file written user by user is
 * ranked as it is read (see {@link readGroupedLists}), any other read whole.
 */
export async function readChunkedLists(
  source: ListsSource,
  interners: ListInterners,
): Promise<ChunkedRankedLists> {
  return (await readGroupedLists(source, interners)) ?? readUngroupedLists(source, interners);
}

/**
 * A file not written user by user, read whole: a row costs 16 bytes (user, item, sort key) and nothing more after,
 * as the user column becomes the grouping order in place, and the order the ranked items.
 */
async function readUngroupedLists(
  { path, format, columns, maxK }: ListsSource,
  { users, items }: ListInterners,
): Promise<ChunkedRankedLists> {
  const read = await readColumns(path, format, columns, users, items);
  const offsets = groupInPlace(read.order, users.size);
  const ranked = rankGroups(read, offsets, maxK, items.size);
  if ('duplicate' in ranked)
    throw await duplicateError(path, format, columns, ranked.duplicate, users, items);
  return ranked;
}

/**
 * The lists with their items in one array. A single chunk is used as it is, not copied: past the kept items, the
 * grouped reader never touched it (no memory), and the whole-file reader left rows cut by `maxK` there. More chunks
 * are copied, each released once copied, so the copy adds at most one chunk to their size.
 */
export function flatLists({ itemChunks, ...lists }: ChunkedRankedLists): RankedLists {
  const kept = lists.offsets[lists.offsets.length - 1] as number;
  const [first] = itemChunks;
  if (itemChunks.length === 1 && first !== undefined) return { ...lists, items: first.subarray(0, kept) };
  const items = new Int32Array(kept);
  for (const [index, chunk] of itemChunks.entries()) {
    const from = index * INT32_CHUNK_LENGTH;
    items.set(from + INT32_CHUNK_LENGTH <= kept ? chunk : chunk.subarray(0, kept - from), from);
    release([chunk]);
  }
  return { ...lists, items };
}

/** The file's rows as columns: users' ids (later their grouping order), items' ids and sort keys. */
interface RecommendationColumns {
  readonly order: ChunkedColumn<Int32Array>;
  readonly items: ChunkedColumn<Int32Array>;
  /** Ascending is better: the negated score, or the rank itself. */
  readonly keys: ChunkedColumn<Float64Array>;
}

async function readColumns(
  path: string,
  format: TabularFormat | undefined,
  columns: ColumnNames,
  users: TextInterner,
  items: TextInterner,
): Promise<RecommendationColumns> {
  const read = {
    order: ChunkedColumn.int32(),
    items: ChunkedColumn.int32(),
    keys: ChunkedColumn.float64(),
  };
  const visit = rowsOf(path, columns, { users, items }, (user, item, key) => {
    read.order.push(user);
    read.items.push(item);
    read.keys.push(key);
  });
  await readRows(path, { columns: listColumnSpecs(columns), format }, visit);
  return read;
}

/**
 * Turns the column of each row's user into the rows grouped by user, file order kept inside a group (a stable
 * counting sort, in place): first each row's position in that order, then the inverse of that permutation.
 * Returns where each user's rows start.
 */
function groupInPlace(column: ChunkedColumn<Int32Array>, userCount: number): Int32Array {
  const offsets = new Int32Array(userCount + 1);
  const rowCount = column.length;
  for (let row = 0; row < rowCount; row++) {
    const user = column.get(row);
    offsets[user + 1] = (offsets[user + 1] as number) + 1;
  }
  for (let user = 0; user < userCount; user++)
    offsets[user + 1] = (offsets[user + 1] as number) + (offsets[user] as number);
  const cursor = offsets.slice(0, userCount);
  for (let row = 0; row < rowCount; row++) {
    const user = column.get(row);
    column.set(row, cursor[user] as number);
    cursor[user] = (cursor[user] as number) + 1;
  }
  invertPermutation(column);
  return offsets;
}

/**
 * Replaces a permutation by its inverse in place, walking each cycle once; an entry already written is marked by
 * its bitwise complement (negative, as every entry is below 2³¹) until the end.
 */
function invertPermutation(column: ChunkedColumn<Int32Array>): void {
  const length = column.length;
  for (let start = 0; start < length; start++) {
    if (column.get(start) < 0) continue;
    let previous = start;
    let current = column.get(start);
    while (current !== start) {
      const next = column.get(current);
      column.set(current, ~previous);
      previous = current;
      current = next;
    }
    column.set(start, ~previous);
  }
  for (let position = 0; position < length; position++) column.set(position, ~column.get(position));
}

/** A user recommended the same item twice: rows as read, their lines found only when the error is reported. */
interface Duplicate {
  readonly user: number;
  readonly item: number;
  readonly firstRow: number;
  readonly row: number;
}

/**
 * Ranks each user's rows, writing the kept items over the grouping order (a user's list never reaches past the
 * start of the next user's rows), or returns the first repeated (user, item).
 */
function rankGroups(
  { order, items, keys }: RecommendationColumns,
  offsets: Int32Array,
  maxK: number,
  itemCount: number,
): ChunkedRankedLists | { duplicate: Duplicate } {
  const userCount = offsets.length - 1;
  let longest = 0;
  for (let user = 0; user < userCount; user++)
    longest = Math.max(longest, (offsets[user + 1] as number) - (offsets[user] as number));
  const groupKeys = new Float64Array(longest);
  const groupItems = new Int32Array(longest);
  const ranker = new RowRanker();
  // seenBy[item] is the last user whose list held the item, seenAt the row: a duplicate check without a set.
  const seenBy = new Int32Array(itemCount).fill(-1);
  const seenAt = new Int32Array(itemCount);
  const listOffsets = new Int32Array(userCount + 1);
  let written = 0;
  let usersWithLists = 0;
  for (let user = 0; user < userCount; user++) {
    const start = offsets[user] as number;
    const end = offsets[user + 1] as number;
    if (end > start) usersWithLists++;
    for (let position = start; position < end; position++) {
      const row = order.get(position);
      const item = items.get(row);
      if (seenBy[item] === user) return { duplicate: { user, item, firstRow: seenAt[item] as number, row } };
      seenBy[item] = user;
      seenAt[item] = row;
      groupKeys[position - start] = keys.get(row);
      groupItems[position - start] = item;
    }
    const ranked = ranker.rank(groupKeys, end - start);
    const kept = Math.min(ranked.length, maxK);
    for (let rank = 0; rank < kept; rank++)
      order.set(written++, groupItems[ranked[rank] as number] as number);
    listOffsets[user + 1] = written;
  }
  const chunksKept = Math.ceil(written / INT32_CHUNK_LENGTH);
  release([...items.chunks, ...keys.chunks, ...order.chunks.slice(chunksKept)]);
  const itemChunks = order.chunks.slice(0, chunksKept);
  return { rows: order.length, userCount: usersWithLists, offsets: listOffsets, itemChunks };
}

/** The error naming both lines of a repeated (user, item); the lines are found by reading the file again. */
async function duplicateError(
  path: string,
  format: TabularFormat | undefined,
  columns: ColumnNames,
  { user, item, firstRow, row }: Duplicate,
  users: TextInterner,
  items: TextInterner,
): Promise<DataError> {
  const lines = new Map<number, number>();
  let index = 0;
  await readRows(path, { columns: listColumnSpecs(columns), format, limit: row + 1 }, (record) => {
    if (index === firstRow || index === row) lines.set(index, record.line);
    index++;
  });
  return new DataError(
    path,
    `repeats user '${users.name(user)}' and item '${items.name(item)}' (first on line ${lines.get(firstRow)}); recommend each item once per user`,
    { line: lines.get(row) as number },
  );
}

/** Visits every kept row of every user's list with its rank (1 is best). */
export function forEachRanked(lists: RankedLists, visit: (item: number, rank: number) => void): void {
  const userCount = lists.offsets.length - 1;
  for (let user = 0; user < userCount; user++) {
    const start = lists.offsets[user] as number;
    const end = lists.offsets[user + 1] as number;
    for (let position = start; position < end; position++)
      visit(lists.items[position] as number, position - start + 1);
  }
}
