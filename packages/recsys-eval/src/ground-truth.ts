import { DataError } from '@recsys-actions/core';
import type { TabularFormat } from '@recsys-actions/data';
import { readRows } from '@recsys-actions/data';
import { addAt, Float64Column, groupBy, Int32Column } from './growable';
import { RowRanker } from './list-rows';
import type { TextInterner } from '@recsys-actions/data';
import type { ColumnNames, NdcgGain } from './options';

/** Held-out interactions grouped by user; each user's rows are sorted by item index. */
export interface GroundTruth {
  readonly rows: number;
  /** Users known when the file was read; later user indices have no rows. */
  readonly userCount: number;
  /** Rows of user u are positions `offsets[u] .. offsets[u + 1]` of the arrays below. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float64Array;
  readonly relevant: Uint8Array;
  /** NDCG gain of each row (0 when not relevant). */
  readonly gains: Float64Array;
  readonly relevantCount: Int32Array;
}

export interface GroundTruthOptions {
  readonly format: TabularFormat | undefined;
  readonly columns: ColumnNames;
  readonly withRatings: boolean;
  readonly relevanceThreshold: number | undefined;
  readonly ndcgGain: NdcgGain;
}

const USER = 0;
const ITEM = 1;
const RATING = 2;

export async function readGroundTruth(
  path: string,
  options: GroundTruthOptions,
  users: TextInterner,
  items: TextInterner,
): Promise<GroundTruth> {
  const { columns, relevanceThreshold, ndcgGain } = options;
  const { userColumn, itemColumn, ratingColumn, lineColumn } = await readColumns(path, options, users, items);

  const rowCount = userColumn.length;
  const userCount = users.size;
  const { offsets, order } = groupBy(userColumn.data, rowCount, userCount);
  const itemOf = itemColumn.data;
  const sortedItems = new Int32Array(rowCount);
  const ratings = new Float64Array(rowCount);
  const relevant = new Uint8Array(rowCount);
  const gains = new Float64Array(rowCount);
  const relevantCount = new Int32Array(userCount);
  // Each user's rows by item, equal items in file order: a RowRanker over the items, reused from user to user (an
  // array and a comparator sort per user made reading the interactions about a third slower).
  const ranker = new RowRanker();
  let itemKeys = new Float64Array(64);
  for (let user = 0; user < userCount; user++) {
    const start = offsets[user] as number;
    const count = (offsets[user + 1] as number) - start;
    if (itemKeys.length < count) itemKeys = new Float64Array(Math.max(count, 2 * itemKeys.length));
    for (let k = 0; k < count; k++) itemKeys[k] = itemOf[order[start + k] as number] as number;
    const ranked = ranker.rank(itemKeys, count);
    const rowAt = (offset: number) => order[start + (ranked[offset] as number)] as number;
    for (let offset = 0; offset < count; offset++) {
      const row = rowAt(offset);
      const position = start + offset;
      const item = itemOf[row] as number;
      const line = lineColumn.data[row] as number;
      if (offset > 0 && sortedItems[position - 1] === item) {
        const first = lineColumn.data[rowAt(offset - 1)];
        throw new DataError(
          path,
          `repeats user '${users.name(user)}' and item '${items.name(item)}' (first on line ${first}); keep one row per pair`,
          { line },
        );
      }
      const rating = ratingColumn.data[row] as number;
      sortedItems[position] = item;
      ratings[position] = rating;
      if (relevanceThreshold === undefined || rating >= relevanceThreshold) {
        relevant[position] = 1;
        addAt(relevantCount, user, 1);
        gains[position] = gainOf(rating, ndcgGain, path, line, columns.rating);
      }
    }
  }
  return { rows: rowCount, userCount, offsets, items: sortedItems, ratings, relevant, gains, relevantCount };
}

/** The file's rows as columns of interned ids, ratings (1 when ratings are not needed) and line numbers. */
async function readColumns(
  path: string,
  { columns, withRatings, format }: GroundTruthOptions,
  users: TextInterner,
  items: TextInterner,
) {
  const userColumn = new Int32Column();
  const itemColumn = new Int32Column();
  const ratingColumn = new Float64Column();
  const lineColumn = new Int32Column();
  await readRows(
    path,
    {
      columns: withRatings ? [columns.user, columns.item, columns.rating] : [columns.user, columns.item],
      format,
    },
    (row) => {
      userColumn.push(row.intern(USER, users));
      itemColumn.push(row.intern(ITEM, items));
      ratingColumn.push(withRatings ? row.number(RATING) : 1);
      lineColumn.push(row.line);
    },
  );
  return { userColumn, itemColumn, ratingColumn, lineColumn };
}

function gainOf(rating: number, gain: NdcgGain, path: string, line: number, column: string): number {
  if (gain === 'binary') return 1;
  if (rating < 0) {
    throw new DataError(path, `has the negative rating ${rating}; ndcgGain '${gain}' needs ratings >= 0`, {
      line,
      column,
    });
  }
  return gain === 'rating' ? rating : 2 ** rating - 1;
}

/** Position of (user, item) in the ground truth, or -1. */
export function findInteraction(truth: GroundTruth, user: number, item: number): number {
  if (user >= truth.userCount) return -1;
  let low = truth.offsets[user] as number;
  let high = (truth.offsets[user + 1] as number) - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = truth.items[middle] as number;
    if (found === item) return middle;
    if (found < item) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
