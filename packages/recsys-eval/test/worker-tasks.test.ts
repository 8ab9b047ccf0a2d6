import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@recsys-actions/core';
import { TextInterner } from '@recsys-actions/data';
import { seededRandom } from '@recsys-actions/testkit';
import { DEFAULT_COLUMNS } from '../src/options';
import {
  bootstrapChanges,
  bootstrapFromChanges,
  pairedBootstrap,
  pairedColumns,
  pairedSignFlipTest,
} from '@recsys-actions/stats';
import { inSharedIds, rankedListsTask, resamplingPartTask } from '../src/worker-tasks';
import { readRankedLists } from '../src/recommendations';

// The worker's side runs here on the main thread: what crosses is plain data, and the e2e tests of validate-model
// run the same task on real worker threads through the built dist.

const dir = mkdtempSync(join(tmpdir(), 'recsys-eval-worker-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Random lists over shuffled users and items, some shared with the files read before, scores with ties. */
function randomLists(seed: number): string {
  const random = seededRandom(seed);
  const rows: string[] = [];
  const seen = new Set<string>();
  for (let row = 0; row < 400; row++) {
    const user = `u${Math.floor(random() * 40)}`;
    const item = `i${Math.floor(random() * 60)}`;
    if (seen.has(`${user},${item}`)) continue;
    seen.add(`${user},${item}`);
    rows.push(`${user},${item},${Math.floor(random() * 5) / 4}`);
  }
  return `user,item,score\n${rows.join('\n')}\n`;
}

describe('lists read with ids of their own, then put into the shared ids', () => {
  it.each([1, 2, 3])(
    'equal the lists read in the shared ids, after the files before them (seed %i)',
    async (seed) => {
      const before = file(`before-${seed}.csv`, randomLists(seed + 100));
      const path = file(`lists-${seed}.csv`, randomLists(seed));
      const request = { path, format: undefined, columns: DEFAULT_COLUMNS, maxK: 7 };

      const sequential = { users: new TextInterner(), items: new TextInterner() };
      await readRankedLists(before, undefined, DEFAULT_COLUMNS, 7, sequential.users, sequential.items);
      const expected = await readRankedLists(
        path,
        undefined,
        DEFAULT_COLUMNS,
        7,
        sequential.users,
        sequential.items,
      );

      const shared = { users: new TextInterner(), items: new TextInterner() };
      await readRankedLists(before, undefined, DEFAULT_COLUMNS, 7, shared.users, shared.items);
      const { wire } = await rankedListsTask.perform(request);
      const actual = inSharedIds(rankedListsTask.revive(structuredClone(wire)), shared.users, shared.items);

      expect(actual.rows).toBe(expected.rows);
      expect(actual.userCount).toBe(expected.userCount);
      expect(Array.from(actual.offsets)).toEqual(Array.from(expected.offsets));
      const kept = expected.offsets[expected.offsets.length - 1];
      expect(Array.from(actual.items)).toEqual(Array.from(expected.items.subarray(0, kept)));
      expect(shared.users.texts()).toEqual(sequential.users.texts());
      expect(shared.items.texts()).toEqual(sequential.items.texts());
    },
  );

  it('moves its arrays back rather than copying them', async () => {
    const path = file('moved.csv', 'user,item,score\nu1,a,1\nu1,b,2\nu2,a,1\n');
    const { wire, transfer } = await rankedListsTask.perform({
      path,
      format: undefined,
      columns: DEFAULT_COLUMNS,
      maxK: 10,
    });
    expect(transfer).toHaveLength(6);
    expect(new Set(transfer).size).toBe(6);
    expect(transfer).toContain(wire.lists.itemChunks[0]?.buffer);
    expect(transfer).toContain(wire.users.bytes.buffer);
  });

  it('fails with the DataError naming the file, as when read on the main thread', async () => {
    const path = file('repeated.csv', 'user,item,score\nu1,a,1\nu1,a,2\n');
    const read = rankedListsTask.perform({ path, format: undefined, columns: DEFAULT_COLUMNS, maxK: 10 });
    await expect(read).rejects.toThrow(DataError);
    await expect(read).rejects.toThrow(`${path} (line 3): repeats user 'u1' and item 'a' (first on line 2)`);
  });
});

describe('the resampling part on a worker', () => {
  it('draws the sign-flip test and the later resamples of the bootstrap the main thread joins', async () => {
    const random = seededRandom(5);
    const users = 40;
    const metrics = 3;
    const sample = {
      users,
      metrics,
      challenger: Float64Array.from({ length: users * metrics }, () => random()),
      baseline: Float64Array.from({ length: users * metrics }, () => random() * 0.9),
    };
    const options = { resamples: 500, seed: 19 };
    const range = { first: 334, count: 166 };
    const columns = pairedColumns(sample);
    const { wire, transfer } = await resamplingPartTask.perform(
      structuredClone({ sample: columns, options, range }),
    );
    expect(transfer).toEqual([wire.changes.buffer]);
    const part = resamplingPartTask.revive(structuredClone(wire));
    expect(part.signFlip).toEqual(pairedSignFlipTest(sample, options));
    const withIntervals = { ...options, confidences: [0.95] };
    const here = bootstrapChanges(sample, options, { first: 0, count: 334 });
    expect(bootstrapFromChanges(sample, [here, part.changes], withIntervals)).toEqual(
      pairedBootstrap(sample, withIntervals),
    );
  });
});
