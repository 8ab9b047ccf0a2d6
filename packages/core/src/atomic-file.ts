import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomHex } from './crypto';

export interface AtomicWriteOptions {
  /** The mode the temporary file is created with (cut by the umask), 0644 by default. */
  mode?: number;
  /** Runs on the written temporary file before it is flushed, e.g. to set its mode and owner exactly. */
  beforeSync?: (fd: number) => void;
}

/**
 * Writes a file so that readers see either the old content or the new content, never a torn mix:
 * the bytes go to a temporary sibling, are flushed to disk, and the sibling is renamed over the target
 * (rename is atomic within one file system, which a sibling guarantees).
 */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomHex(4)}.tmp`);
  const fd = openSync(temporary, 'wx', options.mode ?? 0o644);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    options.beforeSync?.(fd);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
