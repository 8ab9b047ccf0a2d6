import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '@recsys-actions/core';

const GLOB_CHARACTERS = /[*?[]/;

/** True when `pattern` holds `*`, `?` or `[...]` and so names files by shape rather than by path. */
export function isGlob(pattern: string): boolean {
  return GLOB_CHARACTERS.test(pattern);
}

/** A glob pattern that matches no file; its caller knows where the pattern came from and what would work. */
export class NoMatchingFileError extends DataError {
  override name = 'NoMatchingFileError';
  constructor(readonly pattern: string) {
    super(pattern, 'matches no file');
  }
}

/**
 * Expands glob patterns to files, each pattern's matches sorted by path, in pattern order and without repeats.
 * A plain path is kept as it is (its reader reports it when it does not exist); a pattern matching no file is a
 * {@link NoMatchingFileError} naming the pattern. Node 20 has no `fs.glob`, hence this small matcher: `*` and `?` within one path
 * segment, `[abc]` / `[a-z]` classes, and `**` for any number of directories. Hidden entries match only a pattern
 * segment that starts with a dot, as in shells.
 */
export async function expandPaths(patterns: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!isGlob(pattern)) {
      files.push(pattern);
      continue;
    }
    const matches = await expandGlob(pattern);
    if (matches.length === 0) {
      throw new NoMatchingFileError(pattern);
    }
    files.push(...matches.sort());
  }
  return [...new Set(files)];
}

async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.');
  const matches: string[] = [];
  await walk(absolute ? '/' : '', segments, matches);
  return matches;
}

async function walk(base: string, segments: readonly string[], matches: string[]): Promise<void> {
  const [segment, ...rest] = segments;
  if (segment === undefined) return;
  if (!isGlob(segment)) {
    const path = base === '' ? segment : join(base, segment);
    if (rest.length === 0) {
      if ((await entriesOf(base)).some((entry) => entry.name === segment && !entry.isDirectory()))
        matches.push(path);
    } else await walk(path, rest, matches);
    return;
  }
  const entries = await entriesOf(base);
  if (segment === '**') {
    // `**` matches zero directories (go on with the rest here) or one more (descend, keeping `**`).
    await walk(base, rest, matches);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.'))
        await walk(join(base, entry.name), segments, matches);
    }
    return;
  }
  const matcher = segmentMatcher(segment);
  for (const entry of entries) {
    if (!matcher.test(entry.name)) continue;
    const path = base === '' ? entry.name : join(base, entry.name);
    if (rest.length > 0) {
      if (entry.isDirectory()) await walk(path, rest, matches);
    } else if (!entry.isDirectory()) matches.push(path);
  }
}

async function entriesOf(directory: string) {
  try {
    return await readdir(directory === '' ? '.' : directory, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/** A regular expression for one path segment: `*` → `[^/]*`, `?` → `[^/]`, classes kept, the rest literal. */
function segmentMatcher(segment: string): RegExp {
  let source = segment.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) source += '\\[';
      else {
        const body = segment.slice(i + 1, close).replace(/\\/g, '\\\\');
        source += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
        i = close;
      }
    } else source += char.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
