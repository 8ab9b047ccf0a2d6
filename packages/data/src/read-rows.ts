import { DEFAULT_CHUNK_BYTES } from './chunks';
import { readDelimited, type RecordShortcutFactory } from './delimited';
import { formatOf } from './format';
import { readJsonLines } from './jsonl';
import type { ReadOptions, ReadSummary, RowVisitor } from './row';
import { normalizeColumns } from './row';

/**
 * Streams the records of a CSV, TSV or JSONL file to `visit`, one reusable {@link Row} at a time, and resolves
 * once the file is read. Problems in the file reject with a DataError naming the file, line and column.
 */
export function readRows(path: string, options: ReadOptions, visit: RowVisitor): Promise<ReadSummary> {
  return readRecords(path, options, visit);
}

/**
 * {@link readRows}, offering each CSV/TSV record first to a shortcut that can take it without the Row (see
 * {@link RecordShortcutFactory}); JSONL ignores it. Internal: readTable uses it to fill columns straight from bytes.
 */
export function readRecords(
  path: string,
  options: ReadOptions,
  visit: RowVisitor,
  shortcut?: RecordShortcutFactory,
): Promise<ReadSummary> {
  const columns = normalizeColumns(options.columns);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const format = formatOf(path, options.format);
  const { onBadRecord } = options;
  if (format === 'jsonl') return readJsonLines(path, columns, limit, chunkBytes, visit, onBadRecord);
  const delimiter = format === 'csv' ? ',' : '\t';
  return readDelimited(path, delimiter, columns, limit, chunkBytes, visit, onBadRecord, shortcut);
}

/** Bytes a header is read in: it needs no 1 MiB buffer (a longer one doubles it). */
const HEADER_CHUNK_BYTES = 1 << 16;

/** The column names of a file: its CSV/TSV header, or the keys of its first JSONL record. */
export async function readColumnNames(
  path: string,
  options: Pick<ReadOptions, 'format'> = {},
): Promise<readonly string[]> {
  const read = { ...options, columns: [], limit: 0, chunkBytes: HEADER_CHUNK_BYTES };
  const summary = await readRows(path, read, () => undefined);
  return summary.columns;
}
