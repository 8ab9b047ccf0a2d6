import { runInWorker, startWorker, type WorkerTask } from '@recsys-actions/core';
import {
  bootstrapChanges,
  pairedSignFlipTest,
  type PairedColumns,
  type ResampleRange,
  type ResamplingOptions,
} from '@recsys-actions/stats';
import { TextInterner, type InternedTexts } from '@recsys-actions/data';
import type { ResamplingPart, ResamplingPartRunner } from './paired';
import { chunkedValue, release } from './growable';
import {
  readChunkedLists,
  readRankedLists,
  type ChunkedRankedLists,
  type ListsSource,
  type RankedLists,
} from './recommendations';

// Reading and ranking a recommendations file is most of an evaluation's time, and each file is read on its own:
// a worker thread reads one with ids of its own while this thread reads the interactions (or the other model's
// lists), and the lists are then put into the shared ids. Interning each file's texts in the order the files
// were read before gives every user and item the id a sequential read would, so the numbers (and the seeded
// resamples, drawn in user order) do not depend on the threads.

/** Lists in the ids of the worker's own interners, with those interners' texts. */
export interface ListsInOwnIds {
  readonly lists: ChunkedRankedLists;
  readonly users: InternedTexts;
  readonly items: InternedTexts;
}

/** The recommendations file read on a worker; the lists and texts cross as moved buffers, never as JSON. */
export const rankedListsTask: WorkerTask<ListsSource, ListsInOwnIds> = {
  name: 'recsys-eval-ranked-lists',
  async perform(request) {
    const users = new TextInterner();
    const items = new TextInterner();
    const lists = await readChunkedLists(request, { users, items });
    const wire = { lists, users: users.texts(), items: items.texts() };
    const texts = [wire.users.bytes, wire.users.starts, wire.items.bytes, wire.items.starts];
    const buffers = [lists.offsets, ...lists.itemChunks, ...texts];
    return { wire, transfer: buffers.map((array) => array.buffer as ArrayBuffer) };
  },
  revive: (wire) => wire,
};

/** The paired comparison's resampling part for another thread: the sign-flip test and a run of the bootstrap. */
export const resamplingPartTask: WorkerTask<
  { sample: PairedColumns; options: ResamplingOptions; range: ResampleRange },
  ResamplingPart
> = {
  name: 'recsys-eval-resampling-part',
  perform({ sample, options, range }) {
    const changes = bootstrapChanges(sample, options, range);
    const wire = { signFlip: pairedSignFlipTest(sample, options), changes };
    return Promise.resolve({ wire, transfer: [changes.buffer as ArrayBuffer] });
  },
  revive: (wire) => wire,
};

/**
 * {@link resamplingPartTask} on a worker thread started now from `script`, so the thread is up when the sample is
 * ready; the sample crosses as a copy, unless its arrays are in shared memory (as the comparison's are).
 */
export function resamplingPartInWorker(script: string | URL): {
  readonly run: ResamplingPartRunner;
  readonly stopIdle: () => void;
} {
  const worker = startWorker(script, resamplingPartTask);
  return {
    run: (sample, options, range) => worker.run({ sample, options, range }),
    stopIdle: () => worker.stopIdle(),
  };
}

/** Every task the evaluation hands to a worker: the script given as `workerScript` must serve these. */
export const EVALUATION_WORKER_TASKS = [rankedListsTask, resamplingPartTask];

/**
 * Starts reading a recommendations file and returns what puts its lists into the shared ids once every file before
 * it is read. With a script the file is read now, on a worker thread started from it; without one it is read
 * here when asked, as before.
 */
export function startReadingLists(
  request: ListsSource,
  script: string | URL | undefined,
): (users: TextInterner, items: TextInterner) => Promise<RankedLists> {
  const { path, format, columns, maxK } = request;
  if (script === undefined)
    return (users, items) => readRankedLists(path, format, columns, maxK, users, items);
  const reading = runInWorker(script, rankedListsTask, request);
  // Awaited when the files before it are read; if one of them fails first, this must not be an unhandled rejection.
  reading.catch(() => undefined);
  return async (users, items) => inSharedIds(await reading, users, items);
}

/**
 * The lists with every user and item id of the shared interners, laid out in their user order; `local`'s arrays
 * are released.
 */
export function inSharedIds(local: ListsInOwnIds, users: TextInterner, items: TextInterner): RankedLists {
  const userIds = users.internAll(local.users);
  const itemIds = items.internAll(local.items);
  const { offsets, itemChunks } = local.lists;
  const userCount = users.size;
  const ownIdOf = new Int32Array(userCount).fill(-1);
  for (let own = 0; own < userIds.length; own++) ownIdOf[userIds[own] as number] = own;
  const listOffsets = new Int32Array(userCount + 1);
  const listItems = new Int32Array(offsets[offsets.length - 1] as number);
  let written = 0;
  for (let user = 0; user < userCount; user++) {
    const own = ownIdOf[user] as number;
    if (own >= 0) {
      const end = offsets[own + 1] as number;
      for (let position = offsets[own] as number; position < end; position++)
        listItems[written++] = itemIds[chunkedValue(itemChunks, position)] as number;
    }
    listOffsets[user + 1] = written;
  }
  release([offsets, ...itemChunks]);
  return { rows: local.lists.rows, userCount: local.lists.userCount, offsets: listOffsets, items: listItems };
}
