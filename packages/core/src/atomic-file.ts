import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomHex } from './crypto';
import { InputError } from './errors';

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

/**
 * {@link writeFileAtomic} for the file an input names (a shard's partial results or profile, which a later job
 * merges). When the system refuses the write (a full or failing disk, a folder that is not writable), the temporary
 * file is already gone and nothing was written at `path`, so the error says so, naming the input, the file and the
 * system's code, and a re-run of the step starts clean.
 */
export function writeInputFileAtomic(input: string, path: string, content: string | Uint8Array): void {
  try {
    writeFileAtomic(path, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new InputError(
      input,
      `names a file that cannot be written: ${path} (${code}). Nothing was written there; check that the disk has room and the folder is writable, then re-run the step`,
    );
  }
}
