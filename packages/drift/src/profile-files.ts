import { readFileSync } from 'node:fs';
import { DataError } from '@recsys-actions/core';
import { ProfileMerger, type DatasetProfile } from './profile';
import { deserializeProfile } from './serialize';

/**
 * Reads profile files (shards of one dataset, written by `profile-only` runs or a warehouse job) and merges them
 * into one. Every file must hold the same columns with the same types; a file that differs is named with the
 * field that differs, against the first file. Each file is merged as soon as it is parsed, so only one shard is
 * held at a time. Files are read synchronously: an asynchronous read ahead moved in 512 KiB steps, one per turn of
 * the event loop, so it stalled while the previous file was parsed; 100 shard profiles merged about 10 % slower.
 */
export async function readProfileFiles(files: readonly string[]): Promise<DatasetProfile> {
  const [firstFile] = files;
  if (firstFile === undefined) throw new RangeError('readProfileFiles needs at least one file');
  const merger = new ProfileMerger();
  let first: DatasetProfile | undefined;
  for (const file of files) {
    const bytes = readBytes(file);
    if (bytes === undefined) {
      throw new DataError(file, 'cannot be read; give the path of a profile JSON file');
    }
    const profile = deserializeProfile(bytes, file);
    first ??= profile;
    merger.add(profile === first ? profile : alignedWith(first, firstFile, profile, file));
  }
  return merger.result();
}

/** The file's bytes, or undefined when it cannot be read. */
function readBytes(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
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
