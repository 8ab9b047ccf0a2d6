import type { TabularFormat } from '@recsys-actions/data';
import { readRows } from '@recsys-actions/data';
import { groupBy, Int32Column } from './growable';
import type { TextInterner } from '@recsys-actions/data';
import type { ColumnNames } from './options';

/** What coverage, novelty, diversity and serendipity need from the training interactions. */
export interface TrainStats {
  readonly rows: number;
  /** Rows per item index (0 for items never trained on, including indices beyond the array). */
  readonly itemRows: Int32Array;
  readonly distinctItems: number;
  /** Distinct users of item i, ascending: `itemUsers[userOffsets[i] .. userOffsets[i + 1])`. */
  readonly userOffsets: Int32Array;
  readonly itemUsers: Int32Array;
  /** Distinct train items of user u, ascending: `userItems[historyOffsets[u] .. historyOffsets[u + 1])`. */
  readonly historyOffsets: Int32Array;
  readonly userItems: Int32Array;
}

const USER = 0;
const ITEM = 1;

export async function readTrainStats(
  path: string,
  format: TabularFormat | undefined,
  columns: ColumnNames,
  users: TextInterner,
  items: TextInterner,
): Promise<TrainStats> {
  const userColumn = new Int32Column();
  const itemColumn = new Int32Column();
  await readRows(path, { columns: [columns.user, columns.item], format }, (row) => {
    userColumn.push(row.intern(USER, users));
    itemColumn.push(row.intern(ITEM, items));
  });
  const byItem = distinctPerKey(itemColumn, userColumn, items.size);
  const byUser = distinctPerKey(userColumn, itemColumn, users.size);
  return {
    rows: itemColumn.length,
    itemRows: byItem.rows,
    distinctItems: byItem.keysWithRows,
    userOffsets: byItem.offsets,
    itemUsers: byItem.values,
    historyOffsets: byUser.offsets,
    userItems: byUser.values,
  };
}

/**
 * For each key (item or user), its rows and its distinct partners (users or items) ascending: a user who
 * interacted twice with an item is still one user of it.
 */
function distinctPerKey(
  keys: Int32Column,
  partners: Int32Column,
  keyCount: number,
): { rows: Int32Array; keysWithRows: number; offsets: Int32Array; values: Int32Array } {
  const { offsets: rowOffsets, order } = groupBy(keys.data, keys.length, keyCount);
  const rows = new Int32Array(keyCount);
  const offsets = new Int32Array(keyCount + 1);
  const values = new Int32Array(keys.length);
  let written = 0;
  let keysWithRows = 0;
  for (let key = 0; key < keyCount; key++) {
    const start = rowOffsets[key] as number;
    const end = rowOffsets[key + 1] as number;
    rows[key] = end - start;
    if (end > start) keysWithRows++;
    const sorted = Array.from(order.subarray(start, end), (row) => partners.data[row] as number).sort(
      (a, b) => a - b,
    );
    for (const [index, partner] of sorted.entries()) {
      if (index === 0 || partner !== sorted[index - 1]) values[written++] = partner;
    }
    offsets[key + 1] = written;
  }
  return { rows, keysWithRows, offsets, values };
}
