import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DataError, isInside, sha256, updateHashWithFile } from '@recsys-actions/core';

export interface ModelFingerprint {
  sha256: string;
  sizeBytes: number;
  files: number;
}

/**
 * SHA-256 and size of a model file, or of a directory as one artefact. For a directory the hash covers, for
 * every regular file in byte-wise order of its relative path (with `/` separators): the path, a NUL byte,
 * the size in decimal, a NUL byte, then the content. Paths are part of the hash so renames change it, and
 * sizes delimit contents so two layouts can never hash alike.
 *
 * Symbolic links are followed, because model exports often link shared shards, with two limits:
 * - A link whose real target lies outside `within` (the workspace) is refused with a DataError, not skipped:
 *   skipping would publish a fingerprint that silently leaves out files the model loads, and following it
 *   would let a checked-in link make the action read arbitrary runner files.
 * - A directory link that leads back to a directory already being walked (a cycle, which would otherwise
 *   recurse until ELOOP) is skipped: everything under it is already hashed under its first path.
 */
export async function fingerprintModel(path: string, within?: string): Promise<ModelFingerprint> {
  const info = await stat(path);
  if (info.isFile()) {
    const hash = sha256();
    await updateHashWithFile(hash, path);
    return { sha256: hash.digest('hex'), sizeBytes: info.size, files: 1 };
  }
  const root = await realpath(within ?? path);
  const walk = { root, modelDir: path, walking: [await realpath(path)] };
  const files = (await listFiles(path, walk)).map((file) => ({
    file,
    key: relative(path, file).split(sep).join('/'),
  }));
  files.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  const hash = sha256();
  let sizeBytes = 0;
  for (const { file, key } of files) {
    const { size } = await stat(file);
    hash.update(`${key}\0${size}\0`);
    await updateHashWithFile(hash, file);
    sizeBytes += size;
  }
  return { sha256: hash.digest('hex'), sizeBytes, files: files.length };
}

interface Walk {
  /** Real path no link may lead out of. */
  root: string;
  /** The model directory, to name offending links relative to it. */
  modelDir: string;
  /** Real paths of the directories from the model directory down to the one being listed. */
  walking: string[];
}

async function listFiles(dir: string, walk: Walk): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const info = entry.isSymbolicLink() ? await stat(await followedLink(full, walk)) : entry;
    if (info.isDirectory()) {
      const real = await realpath(full);
      if (!walk.walking.includes(real))
        found.push(...(await listFiles(full, { ...walk, walking: [...walk.walking, real] })));
    } else if (info.isFile()) found.push(full);
  }
  return found;
}

async function followedLink(link: string, walk: Walk): Promise<string> {
  const real = await realpath(link);
  if (!isInside(walk.root, real)) {
    const name = relative(walk.modelDir, link).split(sep).join('/');
    throw new DataError(
      name,
      'is a symbolic link that leads outside the workspace; copy the file in instead',
    );
  }
  return real;
}
