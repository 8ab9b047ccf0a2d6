import type { Hash } from 'node:crypto';
import { sha256 } from './crypto';
import { createReadStream } from 'node:fs';

/** Streams a file's bytes into `hash`, so large files (models, datasets) are never held in memory at once. */
export async function updateHashWithFile(hash: Hash, path: string): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/** The SHA-256 digest of a file's contents. */
export async function sha256OfFile(path: string): Promise<Buffer> {
  const hash = sha256();
  await updateHashWithFile(hash, path);
  return hash.digest();
}
