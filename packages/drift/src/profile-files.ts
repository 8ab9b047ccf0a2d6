import { readFile } from 'node:fs/promises';
import { DataError } from '@recsys-actions/core';
import { mergeDatasetProfileList, type DatasetProfile } from './profile';
import { deserializeProfile } from './serialize';

/**
 * Reads profile files (shards of one dataset, written by `profile-only` runs or a warehouse job) and merges them
 * into one. Every file must hold the same columns with the same types; a file that differs is named with the
 * field that differs, against the first file.
 */
export async function readProfileFiles(files: readonly string[]): Promise<DatasetProfile> {
  const [firstFile, ...others] = files;
  if (firstFile === undefined) throw new RangeError('readProfileFiles needs at least one file');
  const first = await readProfileFile(firstFile);
  const profiles = [first];
  for (const file of others) profiles.push(alignedWith(first, firstFile, await readProfileFile(file), file));
  return mergeDatasetProfileList(profiles);
}

async function readProfileFile(file: string): Promise<DatasetProfile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    throw new DataError(file, 'cannot be read; give the path of a profile JSON file');
  }
  return deserializeProfile(bytes, file);
}

/** `profile` with its columns in `first`'s order, once it holds the same names and types. */
function alignedWith(
  first: DatasetProfile,
  firstFile: string,
  profile: DatasetProfile,
  file: string,
): DatasetProfile {
  const names = (p: DatasetProfile) => p.columns.map((column) => column.name);
  const expected = new Set(names(first));
  const own = names(profile);
  if (own.length !== expected.size || own.some((name) => !expected.has(name))) {
    throw new DataError(
      file,
      `field 'columns' holds ${own.join(', ')}, but ${firstFile} holds ${[...expected].join(', ')}; profile every shard with the same columns`,
    );
  }
  const columns = first.columns.map((reference) => {
    const index = own.indexOf(reference.name);
    const column = profile.columns[index] as DatasetProfile['columns'][number];
    if (column.type !== reference.type) {
      throw new DataError(
        file,
        `field 'columns.${index}.type' of column '${column.name}' is ${column.type}, but ${firstFile} has it ${reference.type}; profile every shard with the same column-types`,
      );
    }
    return column;
  });
  return { ...profile, columns };
}
