import { DataError } from '@recsys-actions/core';
import type { ColumnSpec, RowVisitor } from '@recsys-actions/data';
import type { ColumnNames } from './options';
import type { ListInterners } from './recommendations';

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
  { users, items }: ListInterners,
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
 * Ranks one user's rows at a time, reusing its scratch space: a list per user would leave millions of rows'
 * worth of garbage to collect.
 */
export class RowRanker {
  private positions = new Int32Array(256);
  private keys: Float64Array = new Float64Array(0);
  private readonly byKey = (a: number, b: number) => (this.keys[a] as number) - (this.keys[b] as number);

  /**
   * Positions 0 .. count − 1 of `keys`, best first: ascending by key, equal keys in file order (as Microsoft
   * Recommenders' stable sort keeps them; a typed array's sort is stable too). Valid until the next call.
   */
  rank(keys: Float64Array, count: number): Int32Array {
    if (this.positions.length < count)
      this.positions = new Int32Array(Math.max(count, this.positions.length * 2));
    this.keys = keys;
    const positions = this.positions.subarray(0, count);
    for (let position = 0; position < count; position++) positions[position] = position;
    return positions.sort(this.byKey);
  }
}
