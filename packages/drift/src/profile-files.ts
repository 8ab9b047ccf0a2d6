import { readFile } from 'node:fs/promises';
import { DataError } from '@recsys-actions/core';
import { ProfileMerger, type DatasetProfile } from './profile';
import { deserializeProfile } from './serialize';

/**
 * Reads profile files (shards of one dataset, written by `profile-only` runs or a warehouse job) and merges them
 * into one. Every file must hold the same columns with the same types; a file that differs is named with the
 * field that differs, against the first file. Each file is merged as soon as it is parsed (and the next one read
 * meanwhile), so only one shard is held at a time.
 */
export async function readProfileFiles(files: readonly string[]): Promise<DatasetProfile> {
  const [firstFile] = files;
  if (firstFile === undefined) throw new RangeError('readProfileFiles needs at least one file');
  const merger = new ProfileMerger();
  let first: DatasetProfile | undefined;
  let next = readBytes(firstFile);
  for (const [i, file] of files.entries()) {
    const bytes = await next;
    if (i + 1 < files.length) next = readBytes(files[i + 1] as string);
    if (bytes === undefined) {
      throw new DataError(file, 'cannot be read; give the path of a profile JSON file');
    }
    const profile = deserializeProfile(bytes, file);
    first ??= profile;
    merger.add(profile === first ? profile : alignedWith(first, firstFile, profile, file));
  }
  return merger.result();
}

/** The file's bytes, or undefined when it cannot be read (a read ahead must not reject while nobody awaits it). */
function readBytes(file: string): Promise<Uint8Array | undefined> {
  return readFile(file).catch(() => undefined);
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
