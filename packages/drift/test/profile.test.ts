import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deserializeProfile,
  mergeDatasetProfiles,
  profileDataset,
  readProfileFiles,
  serializeProfile,
  type DatasetProfile,
} from '../src/index';
import { SortedSample } from '@recsys-actions/stats';
import { numericProfileOf, ProfileMerger, sketchOf } from '../src/profile';
import { mergeNumericSketches } from '../src/sketch/numeric-sketch';
import { fixture } from './support/fixtures';

let directory: string;
let shards: string[];
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'drift-profile-'));
  // Three shards of the current fixture; the last ones hold categories and missing values the first lacks.
  const [header, ...lines] = readFileSync(fixture('small-current.csv'), 'utf8').trim().split('\n');
  const cuts = [0, 40, 170, lines.length];
  shards = cuts.slice(1).map((end, i) => {
    const path = join(directory, `shard-${i}.csv`);
    writeFileSync(path, [header, ...lines.slice(cuts[i], end)].join('\n'));
    return path;
  });
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A plain view of a profile (typed arrays as lists) for deep equality. */
function plain(profile: DatasetProfile) {
  return {
    rows: profile.rows,
    fileColumns: profile.fileColumns,
    columns: profile.columns.map((column) =>
      column.type === 'numeric' && column.numeric !== undefined
        ? { name: column.name, ...column.numeric, sorted: Array.from(column.numeric.sorted.values) }
        : column.type === 'categorical' && {
            name: column.name,
            missing: column.counts.missing,
            categories: column.categories,
            counts: Array.from(column.counts.counts),
          },
    ),
  };
}

describe('dataset profiles', () => {
  it('merges shard profiles into the profile of the whole, categories in first-seen order', async () => {
    const whole = await profileDataset([fixture('small-current.csv')], {});
    const parts = await Promise.all(shards.map((shard) => profileDataset([shard], {})));
    const merged = parts.reduce((a, b) => mergeDatasetProfiles(a, b));
    expect(plain(merged)).toEqual(plain(whole));
  });

  it('profiles every shard of a glob in one go, the same as merging them', async () => {
    const glob = await profileDataset([join(directory, 'shard-*.csv')], {});
    const whole = await profileDataset([fixture('small-current.csv')], {});
    expect(plain(glob)).toEqual(plain(whole));
  });

  it('survives serialization byte for byte', async () => {
    const profile = await profileDataset([fixture('small-current.csv')], {});
    const bytes = serializeProfile(profile);
    expect(plain(deserializeProfile(bytes))).toEqual(plain(profile));
    // An unaligned copy (as a cache may hand back) reads the same.
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(plain(deserializeProfile(shifted))).toEqual(plain(profile));
    expect(() => deserializeProfile(new Uint8Array([1, 2, 3]))).toThrow('is not a drift profile (JSON');
  });

  it('reads and merges shard profile files as merging the profiles does', async () => {
    const parts = await Promise.all(shards.map((shard) => profileDataset([shard], {})));
    const files = parts.map((part, i) => {
      const path = join(directory, `shard-${i}.json`);
      writeFileSync(path, serializeProfile(part));
      return path;
    });
    const merged = parts.reduce((a, b) => mergeDatasetProfiles(a, b));
    expect(plain(await readProfileFiles(files))).toEqual(plain(merged));
  });

  it('merges exact shards past the exact limit as the sketches of every shard, in order', () => {
    // Three exact shards of 400 000 distinct values: the third passes EXACT_MAX_VALUES (1 M) together.
    const columns = [0, 1, 2].map((shard) => {
      const values = Float64Array.from({ length: 400_000 }, (_, i) => ((i * 7919 + shard) % 400_003) / 3);
      const sorted = SortedSample.ofSorted(values.sort(), 'x');
      return { name: 'x', type: 'numeric' as const, numeric: numericProfileOf(sorted, shard) };
    });
    const profile = (column: DatasetProfile['columns'][number]): DatasetProfile => ({
      rows: 400_000,
      skippedBadRows: 0,
      fileColumns: ['x'],
      columns: [column],
    });
    const merger = new ProfileMerger();
    for (const column of columns) merger.add(profile(column));
    const sketch = mergeNumericSketches(columns.map(sketchOf), 'x');
    const expected = { ...profile({ name: 'x', type: 'numeric', sketch }), rows: 1_200_000 };
    expect(serializeProfile(merger.result())).toEqual(serializeProfile(expected));
  });

  it('refuses to merge a column typed differently in two shards', async () => {
    const numeric = await profileDataset([shards[0] as string], { columns: ['rating'] });
    const categorical = await profileDataset([shards[1] as string], {
      columns: ['rating'],
      columnTypes: { rating: 'categorical' },
    });
    expect(() => mergeDatasetProfiles(numeric, categorical)).toThrow(
      "Column 'rating' is numeric in one profile and categorical in the other",
    );
  });
});
