import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface ModelFingerprint {
  sha256: string;
  sizeBytes: number;
  files: number;
}

/**
 * SHA-256 and size of a model file, or of a directory as one artefact. For a directory the hash covers, for
 * every regular file in byte-wise order of its relative path (with `/` separators): the path, a NUL byte,
 * the size in decimal, a NUL byte, then the content. Paths are part of the hash so renames change it, and
 * sizes delimit contents so two layouts can never hash alike. Symbolic links are followed.
 */
export async function fingerprintModel(path: string): Promise<ModelFingerprint> {
  const info = await stat(path);
  if (info.isFile()) {
    const hash = createHash('sha256');
    await hashFile(hash, path);
    return { sha256: hash.digest('hex'), sizeBytes: info.size, files: 1 };
  }
  const files = (await listFiles(path)).map((file) => ({
    file,
    key: relative(path, file).split(sep).join('/'),
  }));
  files.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for (const { file, key } of files) {
    const { size } = await stat(file);
    hash.update(`${key}\0${size}\0`);
    await hashFile(hash, file);
    sizeBytes += size;
  }
  return { sha256: hash.digest('hex'), sizeBytes, files: files.length };
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const info = entry.isSymbolicLink() ? await stat(full) : entry;
    if (info.isDirectory()) found.push(...(await listFiles(full)));
    else if (info.isFile()) found.push(full);
  }
  return found;
}

function hashFile(hash: Hash, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve());
  });
}
