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

/** Rows an insertion sort orders before the merge passes begin. */
const INSERTION_RUN = 16;

/**
 * Ranks one user's rows at a time, reusing its scratch space: a list per user would leave millions of rows'
 * worth of garbage to collect. The sort is written out (insertion-sorted runs, then merge passes) because a typed
 * array's `sort` with a comparator calls it once per comparison: that was a quarter of a shard's CPU time.
 */
export class RowRanker {
  private positions = new Int32Array(256);
  private scratch = new Int32Array(256);

  /**
   * Positions 0 .. count − 1 of `keys`, best first: ascending by key, equal keys in file order (as Microsoft
   * Recommenders' stable sort keeps them). Valid until the next call.
   */
  rank(keys: Float64Array, count: number): Int32Array {
    if (this.positions.length < count) {
      this.positions = new Int32Array(Math.max(count, this.positions.length * 2));
      this.scratch = new Int32Array(this.positions.length);
    }
    let source = this.positions;
    let target = this.scratch;
    for (let start = 0; start < count; start += INSERTION_RUN)
      insertionSortRun(keys, source, start, Math.min(start + INSERTION_RUN, count));
    for (let width = INSERTION_RUN; width < count; width *= 2) {
      for (let from = 0; from < count; from += 2 * width)
        mergeRuns(
          keys,
          source,
          target,
          from,
          Math.min(from + width, count),
          Math.min(from + 2 * width, count),
        );
      [source, target] = [target, source];
    }
    return source.subarray(0, count);
  }
}

/** Fills `positions[from, to)` with those positions, ordered by key; equal keys keep their order. */
function insertionSortRun(keys: Float64Array, positions: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const key = keys[i] as number;
    let j = i;
    for (; j > from && (keys[positions[j - 1] as number] as number) > key; j--)
      positions[j] = positions[j - 1] as number;
    positions[j] = i;
  }
}

/** Merges the ordered runs `[from, middle)` and `[middle, to)` of `source` into `target`, left first on ties. */
function mergeRuns(
  keys: Float64Array,
  source: Int32Array,
  target: Int32Array,
  from: number,
  middle: number,
  to: number,
): void {
  let left = from;
  let right = middle;
  for (let at = from; at < to; at++) {
    const takeRight =
      left === middle ||
      (right < to && (keys[source[right] as number] as number) < (keys[source[left] as number] as number));
    target[at] = (takeRight ? source[right++] : source[left++]) as number;
  }
}
