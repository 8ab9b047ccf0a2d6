import { DataError } from '@recsys-actions/core';
import type { ColumnSpec, RowVisitor, TextInterner } from '@recsys-actions/data';
import type { ColumnNames } from './options';

const USER = 0;
const ITEM = 1;
const SCORE = 2;
const RANK = 3;

/** The columns a recommendations file is read with; {@link rowsOf} takes rows read with them. */
export function listColumnSpecs(columns: ColumnNames): ColumnSpec[] {
  return [
    columns.user,
    columns.item,
    { name: columns.score, optional: true },
    { name: columns.rank, optional: true },
  ];
}

/**
 * A visitor handing each recommendation row to `take` as interned ids and a sort key where ascending is better:
 * the negated score, or the rank itself when the file has no score column.
 */
export function rowsOf(
  path: string,
  columns: ColumnNames,
  { users, items }: { users: TextInterner; items: TextInterner },
  take: (user: number, item: number, key: number) => void,
): RowVisitor {
  let byRank: boolean | undefined;
  return (row) => {
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
    take(row.intern(USER, users), row.intern(ITEM, items), byRank ? row.number(RANK) : -row.number(SCORE));
  };
}

/**
 * Positions 0 .. count − 1 of one user's rows, best first: ascending by key, equal keys in file order (as
 * Microsoft Recommenders' stable sort keeps them; Array.prototype.sort is stable).
 */
export function rankedPositions(keys: Float64Array, count: number): number[] {
  const positions: number[] = [];
  for (let position = 0; position < count; position++) positions.push(position);
  return positions.sort((a, b) => (keys[a] as number) - (keys[b] as number));
}
