import { open } from 'node:fs/promises';
import { UserFacingError, type DataError } from '@recsys-actions/core';
import {
  CategoricalBuilder,
  fitsNumericColumn,
  NEEDS_CATEGORICAL,
  NumericBuilder,
  type ColumnType,
  type TableColumn,
} from './columns';
import { DEFAULT_CHUNK_BYTES } from './chunks';
import { expandPaths } from './glob';
import { describeParquetProblem, openParquet, readParquetInto } from './parquet';
import { PlainRecordWriter } from './plain-record-writer';
import { readColumnNames, readRecords, readRows } from './read-rows';
import type { ColumnSpec, Row } from './row';
import { tableFormatOf, type TableFormat } from './table-format';
import { RetypeColumn, TableWriter, type TableChunks } from './table-writer';

export interface ReadTableOptions {
  /** Columns to read; default: every column of the first file. */
  readonly columns?: readonly string[];
  /** Fixes a column's type instead of detecting it, e.g. `{ zip: 'categorical' }`. */
  readonly columnTypes?: Readonly<Record<string, ColumnType>>;
  /** `fail` (default): a malformed row is a DataError naming file, line and column; `skip`: it is counted. */
  readonly onBadRows?: 'fail' | 'skip';
  /** Overrides the format implied by each file's extension. */
  readonly format?: TableFormat;
  /**
   * `false` keeps only each categorical column's `counts`, not its per-row `codes`: four bytes less per row and
   * column, for callers that need only how often each category occurs. Default `true`.
   */
  readonly categoryCodes?: boolean;
  /**
   * Streams the numeric columns in chunks instead of keeping them (see {@link TableChunks}); the table's numeric
   * columns then come back empty. Needs `categoryCodes: false`, as per-row codes would grow with the rows.
   */
  readonly chunks?: TableChunks;
}

export interface Table {
  /** The files read, after glob expansion, in order. */
  readonly files: readonly string[];
  /** Every column of the first file, read or not (to tell which columns a file adds or lacks). */
  readonly fileColumns: readonly string[];
  readonly columns: readonly TableColumn[];
  readonly rows: number;
  readonly skippedBadRows: number;
  /** The first skipped row's problem, as the message of the DataError it would have raised. */
  readonly firstBadRow?: string;
}

/**
 * Reads CSV, TSV, JSONL and Parquet files (paths or glob patterns) into one column-oriented table, rows in file
 * order. A column is numeric when every non-missing value parses as a number, otherwise categorical, unless
 * `columnTypes` fixes it. Detection is optimistic: a column starts numeric unless the first file's first records
 * show text in it, and text later in it restarts the read with that column categorical, so a column that turns
 * textual late costs a second pass while typical files are read once.
 */
export function readTable(patterns: readonly string[], options: ReadTableOptions = {}): Promise<Table> {
  return readTableWith(patterns, options, READ_MECHANICS);
}

/**
 * How a read is carried out, as opposed to what it reads: not part of the package's API. readTable always uses
 * {@link READ_MECHANICS}; the tests read files with the plain-record shortcut on and off, in tiny chunks too, to
 * show that it changes nothing but speed. Only the real general path can be the reference for that.
 */
export interface ReadMechanics {
  /** Whether plain CSV/TSV records go straight from bytes to columns (see PlainRecordScanner). */
  readonly plainRecordShortcut: boolean;
  readonly chunkBytes: number;
}

export const READ_MECHANICS: ReadMechanics = { plainRecordShortcut: true, chunkBytes: DEFAULT_CHUNK_BYTES };

/** {@link readTable}, carried out as `mechanics` say. */
export async function readTableWith(
  patterns: readonly string[],
  options: ReadTableOptions,
  mechanics: ReadMechanics,
): Promise<Table> {
  const files = await expandPaths(patterns);
  const [first] = files;
  if (first === undefined)
    throw new UserFacingError('No data file given; name at least one file or pattern.');
  const declaredNumeric = new Set(
    Object.keys(options.columnTypes ?? {}).filter((name) => options.columnTypes?.[name] === 'numeric'),
  );
  const { columns: fileColumns, textColumns } = await firstRecordsOf(first, options.format, declaredNumeric);
  const names = options.columns ?? fileColumns;
  const categorical = new Set(
    names.filter((name) => {
      const declared = options.columnTypes?.[name];
      return declared === 'categorical' || (declared === undefined && textColumns.has(name));
    }),
  );
  for (;;) {
    try {
      return await readOnce(files, fileColumns, names, categorical, options, mechanics);
    } catch (error) {
      if (!(error instanceof RetypeColumn)) throw error;
      categorical.add(error.column);
      options.chunks?.onRestart();
    }
  }
}

/** Records {@link firstRecordsOf} looks at, in reads of this many bytes (they need no 1 MiB buffer). */
const FIRST_RECORDS = 100;
const FIRST_RECORDS_CHUNK_BYTES = 1 << 16;

/**
 * The first file's columns, and those of them whose first records hold text that a numeric column does not take.
 * Each such column would restart the read at its first text anyway: starting it categorical saves that restart,
 * and the builders and read buffer each restart leaves for the GC (a file with ten text columns was set up eleven
 * times: about 13 MiB of a 1 M-row drift check's peak, its two files read in parallel). Malformed records, and
 * records with text in a column declared numeric, are bad rows: they type nothing here, and the real read reports
 * or skips them.
 */
async function firstRecordsOf(
  path: string,
  format: TableFormat | undefined,
  declaredNumeric: ReadonlySet<string>,
): Promise<{ columns: readonly string[]; textColumns: ReadonlySet<string> }> {
  const columns = await columnNamesOf(path, format);
  const textColumns = new Set<string>();
  const resolved = tableFormatOf(path, format);
  // Parquet's records are not looked at here: a text column there still restarts the read at its first value.
  if (resolved === 'parquet') return { columns, textColumns };
  const optional = columns.map((name) => ({ name, optional: true as const }));
  await readRows(
    path,
    {
      format: resolved,
      chunkBytes: FIRST_RECORDS_CHUNK_BYTES,
      columns: optional,
      limit: FIRST_RECORDS,
      onBadRecord: () => undefined,
    },
    (row) => {
      const texts = columns.filter((_, position) => holdsText(row, position));
      if (texts.some((name) => declaredNumeric.has(name))) return;
      for (const name of texts) textColumns.add(name);
    },
  );
  return { columns, textColumns };
}

/** Whether the row's value in the column is text that a numeric column does not take. */
function holdsText(row: Row, position: number): boolean {
  return row.has(position) && row.tryNumber(position) === undefined && !fitsNumericColumn(row.text(position));
}

export async function columnNamesOf(path: string, format?: TableFormat): Promise<readonly string[]> {
  const resolved = tableFormatOf(path, format);
  if (resolved === 'parquet') return (await openParquet(path)).columns;
  return readColumnNames(path, { format: resolved });
}

async function readOnce(
  files: readonly string[],
  fileColumns: readonly string[],
  names: readonly string[],
  categorical: ReadonlySet<string>,
  options: ReadTableOptions,
  mechanics: ReadMechanics,
): Promise<Table> {
  const keepCodes = options.categoryCodes ?? true;
  if (options.chunks !== undefined && keepCodes) throw new RangeError('chunks needs categoryCodes: false');
  const builders = names.map((name) =>
    categorical.has(name)
      ? new CategoricalBuilder(name, keepCodes)
      : new NumericBuilder(name, options.columnTypes?.[name] !== 'numeric'),
  );
  const writer = new TableWriter(builders, options.chunks);
  const skip = options.onBadRows === 'skip';
  let skippedBadRows = 0;
  let firstBadRow: string | undefined;
  const badRow = (problem: DataError): void => {
    if (!skip) throw problem;
    skippedBadRows++;
    firstBadRow ??= problem.message;
  };
  for (const path of files) {
    const format = tableFormatOf(path, options.format);
    if (format === 'parquet') {
      const source = await openParquet(path);
      for (const builder of builders) builder.reserve(writer.buffered + source.rows);
      const problem = await readParquetInto(source, builders, writer.buffered);
      if (problem?.fit === NEEDS_CATEGORICAL) throw new RetypeColumn(problem.column);
      if (problem !== undefined) throw describeParquetProblem(path, problem);
      writer.rows += source.rows;
      writer.flush();
      continue;
    }
    writer.expectFile(await estimateRows(path));
    const columns: ColumnSpec[] =
      format === 'jsonl' ? names.map((name) => ({ name, optional: true as const })) : [...names];
    await readRecords(
      path,
      { columns, format, onBadRecord: skip ? badRow : undefined, chunkBytes: mechanics.chunkBytes },
      (row) => writer.writeRow(row, path, badRow),
      mechanics.plainRecordShortcut ? (layout) => new PlainRecordWriter(writer, layout) : undefined,
    );
  }
  writer.flush();
  return {
    files,
    fileColumns,
    columns: builders.map((builder) => builder.build(writer.buffered)),
    rows: writer.rows,
    skippedBadRows,
    ...(firstBadRow === undefined ? {} : { firstBadRow }),
  };
}

const SAMPLE_BYTES = 1 << 16;

/**
 * The records a text file likely holds, from the line breaks in its first 64 KiB plus a margin, so columns are
 * allocated once instead of doubling through copies that leave the old arrays for the GC. 0 when unknown.
 */
async function estimateRows(path: string): Promise<number> {
  // The reader itself reports a missing or unreadable file, in its own words.
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return 0;
  try {
    const { size } = await handle.stat();
    const sample = Buffer.allocUnsafe(Math.min(SAMPLE_BYTES, size));
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (sample[i] === 0x0a) lines++;
    return lines < 2 ? 0 : Math.ceil((size / bytesRead) * lines * 1.05);
  } finally {
    await handle.close();
  }
}
