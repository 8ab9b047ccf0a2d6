import { stat } from 'node:fs/promises';
import { DataError } from '@recsys-actions/core';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, CompressionCodec, Compressors, FileMetaData } from 'hyparquet';
import { CategoricalBuilder, FITS, type ColumnBuilder, type Fit } from './columns';
import { preview } from './row';

/** A Parquet file opened for reading: its footer parsed, its top-level column names known. */
export interface ParquetSource {
  readonly path: string;
  readonly file: AsyncBuffer;
  readonly metadata: FileMetaData;
  readonly columns: readonly string[];
  readonly rows: number;
}

export async function openParquet(path: string): Promise<ParquetSource> {
  await statFile(path);
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new DataError(
      path,
      `is not a Parquet file (${(error as Error).message}); give a .parquet file, or name a .csv, .tsv or .jsonl file`,
    );
  }
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  return { path, file, metadata, columns, rows: Number(metadata.num_rows) };
}

async function statFile(path: string): Promise<void> {
  try {
    if ((await stat(path)).isDirectory())
      throw new DataError(path, 'is a directory; give the path of a file');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DataError(path, 'does not exist; check the path (relative to the workspace)');
    throw error;
  }
}

/** Raised when a value does not fit its column, carrying what the table reader needs to react. */
export class ParquetValueProblem {
  constructor(
    readonly fit: Fit,
    readonly column: string,
    readonly row: number,
    readonly value: string,
  ) {}
}

/**
 * Reads `builders`' columns of a Parquet file into rows `[firstRow, firstRow + source.rows)`. Numbers (including
 * INT64) go in as numbers, text through the builder's own rules, nulls as missing. Parquet is read column by column,
 * so a value that does not fit its column cannot skip its row: it is returned for the caller to fail on.
 */
export async function readParquetInto(
  source: ParquetSource,
  builders: readonly ColumnBuilder[],
  firstRow: number,
): Promise<ParquetValueProblem | undefined> {
  for (const name of builders.map((builder) => builder.name)) {
    if (!source.columns.includes(name)) {
      throw new DataError(source.path, `has no column '${name}' (its columns: ${source.columns.join(', ')})`);
    }
  }
  const byName = new Map(builders.map((builder) => [builder.name, builder]));
  let problem: ParquetValueProblem | undefined;
  const codecs = codecsOf(source.metadata);
  await decoding(source.path, codecs, async () =>
    parquetRead({
      file: source.file,
      metadata: source.metadata,
      columns: builders.map((builder) => builder.name),
      compressors: await compressorsFor(codecs),
      // hyparquet calls this from promise callbacks it does not await: a throw would go unhandled, so keep it.
      onChunk: ({ columnName, columnData, rowStart }) => {
        const builder = byName.get(columnName);
        if (builder === undefined) return;
        for (let i = 0; i < columnData.length; i++) {
          const fit = setValue(builder, firstRow + rowStart + i, columnData[i]);
          // Chunks (pages, row groups) arrive in no fixed order, so report the earliest bad row, not the first seen.
          if (fit !== FITS) {
            if (problem === undefined || rowStart + i < problem.row) {
              problem = new ParquetValueProblem(fit, columnName, rowStart + i, String(columnData[i]));
            }
            return;
          }
        }
      },
    }),
  );
  return problem;
}

/** The compression codecs of a file's column chunks, as its footer names them (ZSTD, SNAPPY, ...). */
function codecsOf(metadata: FileMetaData): CompressionCodec[] {
  const codecs = metadata.row_groups.flatMap((group) =>
    group.columns.flatMap((chunk) => (chunk.meta_data ? [chunk.meta_data.codec] : [])),
  );
  return [...new Set(codecs)];
}

/** hyparquet decodes UNCOMPRESSED and SNAPPY itself; the other codecs' decoders load only when a file needs them. */
async function compressorsFor(codecs: readonly CompressionCodec[]): Promise<Compressors | undefined> {
  if (codecs.every((codec) => codec === 'UNCOMPRESSED' || codec === 'SNAPPY')) return undefined;
  return (await import('hyparquet-compressors')).compressors;
}

/**
 * Runs a decode, turning hyparquet's bare errors (an unknown codec, a damaged page: "cannot copy from before
 * start of buffer") into a DataError that names the file and its codecs.
 */
async function decoding<T>(
  path: string,
  codecs: readonly CompressionCodec[],
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof DataError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const advice = /unsupported compression codec/i.test(reason)
      ? 'write it with ZSTD, GZIP, Brotli, LZ4_RAW, Snappy or no compression'
      : 'the file may be damaged or cut short, so write it again';
    throw new DataError(
      path,
      `could not be decoded (compression ${codecs.join(', ') || 'none'}): ${reason}; ${advice}`,
    );
  }
}

function setValue(builder: ColumnBuilder, row: number, value: unknown): Fit {
  if (value === null || value === undefined) builder.setMissing(row);
  else if (typeof value === 'number' || typeof value === 'bigint') {
    if (builder instanceof CategoricalBuilder) builder.setText(row, String(value));
    else builder.setNumber(row, Number(value));
  } else {
    const text = value instanceof Date ? value.toISOString() : String(value);
    return builder.setText(row, text);
  }
  return FITS;
}

export function describeParquetProblem(path: string, problem: ParquetValueProblem): DataError {
  return new DataError(
    path,
    `has '${preview(problem.value)}' in row ${problem.row + 1} where a number is required (e.g. 0.25)`,
    { column: problem.column },
  );
}
