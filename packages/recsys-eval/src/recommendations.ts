import { DataError } from '@recsys-actions/core';
import type { TabularFormat } from '@recsys-actions/data';
import { readRows } from '@recsys-actions/data';
import { Float64Column, groupBy, Int32Column } from './growable';
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

const USER = 0;
const ITEM = 1;
const SCORE = 2;
const RANK = 3;

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
  const userColumn = new Int32Column();
  const itemColumn = new Int32Column();
  // Ascending is better: the negated score, or the rank itself.
  const sortKey = new Float64Column();
  const lineColumn = new Int32Column();
  let byRank: boolean | undefined;
  await readRows(
    path,
    {
      columns: [
        columns.user,
        columns.item,
        { name: columns.score, optional: true },
        { name: columns.rank, optional: true },
      ],
      format,
    },
    (row) => {
      if (byRank === undefined) {
        if (!row.has(SCORE) && !row.has(RANK)) {
          throw new DataError(
            path,
            `has neither a '${columns.score}' nor a '${columns.rank}' column to order the items (e.g. user,item,score)`,
            { line: row.line },
          );
        }
        byRank = !row.has(SCORE);
      }
      userColumn.push(row.intern(USER, users));
      itemColumn.push(row.intern(ITEM, items));
      sortKey.push(byRank ? row.number(RANK) : -row.number(SCORE));
      lineColumn.push(row.line);
    },
  );
  return rankPerUser(path, { userColumn, itemColumn, sortKey, lineColumn }, maxK, users, items);
}

interface RecommendationColumns {
  readonly userColumn: Int32Column;
  readonly itemColumn: Int32Column;
  readonly sortKey: Float64Column;
  readonly lineColumn: Int32Column;
}

function rankPerUser(
  path: string,
  { userColumn, itemColumn, sortKey, lineColumn }: RecommendationColumns,
  maxK: number,
  users: TextInterner,
  items: TextInterner,
): RankedLists {
  const rowCount = userColumn.length;
  const userCount = users.size;
  const { offsets, order } = groupBy(userColumn.data, rowCount, userCount);
  const itemOf = itemColumn.data;
  const keyOf = sortKey.data;
  // Rows reach a group in file order and Array.prototype.sort is stable, so equal keys keep that order.
  const byKey = (a: number, b: number) => (keyOf[a] as number) - (keyOf[b] as number);

  // seenBy[item] is the last user whose list held the item, seenAt the row: a duplicate check without a set.
  const seenBy = new Int32Array(items.size).fill(-1);
  const seenAt = new Int32Array(items.size);
  const listOffsets = new Int32Array(userCount + 1);
  const listItems = new Int32Array(Math.min(rowCount, userCount * maxK));
  let written = 0;
  let usersWithLists = 0;
  for (let user = 0; user < userCount; user++) {
    const start = offsets[user] as number;
    const end = offsets[user + 1] as number;
    if (end > start) usersWithLists++;
    for (let position = start; position < end; position++) {
      const row = order[position] as number;
      const item = itemOf[row] as number;
      if (seenBy[item] === user) {
        throw new DataError(
          path,
          `repeats user '${users.name(user)}' and item '${items.name(item)}' (first on line ${lineColumn.data[seenAt[item] as number]}); recommend each item once per user`,
          { line: lineColumn.data[row] as number },
        );
      }
      seenBy[item] = user;
      seenAt[item] = row;
    }
    const ranked = Array.from(order.subarray(start, end)).sort(byKey);
    const kept = Math.min(ranked.length, maxK);
    for (let rank = 0; rank < kept; rank++) listItems[written++] = itemOf[ranked[rank] as number] as number;
    listOffsets[user + 1] = written;
  }
  return { rows: rowCount, userCount: usersWithLists, offsets: listOffsets, items: listItems };
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
