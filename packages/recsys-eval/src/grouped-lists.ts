import { readRows } from '@recsys-actions/data';
import { ChunkedColumn, Float64Column, Int32Column, moveBlocksInPlace, release } from './growable';
import { listColumnSpecs, RowRanker, rowsOf } from './list-rows';
import type { ChunkedRankedLists, ListInterners, ListsSource } from './recommendations';

/** Stops the read: a user's rows come back after another user's, or a user repeats an item. */
class NotOneRunPerUser extends Error {}

/**
 * Reads a recommendations file whose rows come user by user, as a model's batch output writes them, ranking each
 * user's rows as soon as the next user's begin: a row then costs only its kept item, and no more than one user's
 * sort keys are held at once; the lists come out in chunks, in user order. Resolves to undefined, having read no
 * further, as soon as a user's rows come back after another's or a user repeats an item: those files are read by
 * the general path, which reports the repeat.
 */
export async function readGroupedLists(
  { path, format, columns, maxK }: ListsSource,
  interners: ListInterners,
): Promise<ChunkedRankedLists | undefined> {
  const ranker = new RunRanker(maxK);
  try {
    const visit = rowsOf(path, columns, interners, (user, item, key) => ranker.add(user, item, key));
    await readRows(path, { columns: listColumnSpecs(columns), format }, visit);
    ranker.endRun();
  } catch (error) {
    if (error instanceof NotOneRunPerUser) return undefined;
    throw error;
  }
  return ranker.inUserOrder(interners.users.size);
}

/** Ranks one run of rows per user as the runs end, appending each user's kept items. */
export class RunRanker {
  private readonly kept = ChunkedColumn.int32();
  private readonly runUsers = new Int32Column();
  /** Where each run's kept items end in {@link kept}. */
  private readonly runEnds = new Int32Column();
  private readonly items = new Int32Column();
  private readonly keys = new Float64Column();
  private user = -1;
  private rows = 0;
  /** hadRun[user] is 1 once the user's run began. */
  private hadRun = new Uint8Array(1024);
  /** seenBy[item] is the last user whose run held the item: a repeat check without a set. */
  private seenBy = new Int32Array(1024).fill(-1);
  private readonly ranker = new RowRanker();

  constructor(private readonly maxK: number) {}

  add(user: number, item: number, key: number): void {
    if (user !== this.user) {
      this.endRun();
      this.beginRun(user);
    }
    this.items.push(item);
    this.keys.push(key);
    this.rows++;
  }

  endRun(): void {
    const count = this.items.length;
    if (count === 0) return;
    const items = this.items.data;
    for (let position = 0; position < count; position++) {
      const item = items[position] as number;
      if (item >= this.seenBy.length) this.seenBy = grown(this.seenBy, item, -1);
      if (this.seenBy[item] === this.user) throw new NotOneRunPerUser();
      this.seenBy[item] = this.user;
    }
    const ranked = this.ranker.rank(this.keys.data, count);
    const kept = Math.min(count, this.maxK);
    for (let rank = 0; rank < kept; rank++) this.kept.push(items[ranked[rank] as number] as number);
    this.runUsers.push(this.user);
    this.runEnds.push(this.kept.length);
    this.items.length = 0;
    this.keys.length = 0;
  }

  /**
   * The lists in user order. Runs that came in another order (users interned before this file, as from the
   * interactions) are moved in place when they fit one chunk, so the lists are not held twice.
   */
  inUserOrder(userCount: number): ChunkedRankedLists {
    const runs = this.runUsers.length;
    const runUsers = this.runUsers.data;
    const runEnds = this.runEnds.data;
    const offsets = new Int32Array(userCount + 1);
    let inUserOrder = true;
    for (let run = 0; run < runs; run++) {
      const user = runUsers[run] as number;
      if (run > 0 && user < (runUsers[run - 1] as number)) inUserOrder = false;
      offsets[user + 1] = (runEnds[run] as number) - (run === 0 ? 0 : (runEnds[run - 1] as number));
    }
    for (let user = 0; user < userCount; user++)
      offsets[user + 1] = (offsets[user + 1] as number) + (offsets[user] as number);
    const lists = { rows: this.rows, userCount: runs, offsets };
    if (inUserOrder) return { ...lists, itemChunks: this.kept.chunks };
    const runStarts = new Int32Array(runs);
    for (let run = 0; run < runs; run++) runStarts[run] = offsets[runUsers[run] as number] as number;
    const [only] = this.kept.chunks;
    if (this.kept.chunks.length === 1 && only !== undefined) {
      moveBlocksInPlace(only, runEnds, runs, runStarts);
      return { ...lists, itemChunks: [only] };
    }
    return { ...lists, itemChunks: this.copiedInUserOrder(userCount) };
  }

  /**
   * Lists over more than one chunk (over 8 M kept items), copied into user order, as {@link moveBlocksInPlace}
   * works on one array; the run order's chunks are released.
   */
  private copiedInUserOrder(userCount: number): Int32Array[] {
    const runUsers = this.runUsers.data;
    const runEnds = this.runEnds.data;
    const runOf = new Int32Array(userCount).fill(-1);
    for (let run = 0; run < this.runUsers.length; run++) runOf[runUsers[run] as number] = run;
    const inOrder = ChunkedColumn.int32();
    for (const run of runOf) {
      if (run < 0) continue;
      const end = runEnds[run] as number;
      for (let from = run === 0 ? 0 : (runEnds[run - 1] as number); from < end; from++)
        inOrder.push(this.kept.get(from));
    }
    release(this.kept.chunks);
    return inOrder.chunks;
  }

  private beginRun(user: number): void {
    if (user >= this.hadRun.length) this.hadRun = grown(this.hadRun, user, 0);
    if (this.hadRun[user] === 1) throw new NotOneRunPerUser();
    this.hadRun[user] = 1;
    this.user = user;
  }
}

/** A copy of `array` long enough for `index`, the new places filled with `fill`. */
function grown<T extends Uint8Array | Int32Array>(array: T, index: number, fill: number): T {
  const larger = new (array.constructor as new (length: number) => T)(Math.max(array.length * 2, index + 1));
  larger.set(array);
  larger.fill(fill, array.length);
  return larger;
}
