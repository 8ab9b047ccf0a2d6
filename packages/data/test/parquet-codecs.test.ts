import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readTable, type CategoricalColumn, type NumericColumn, type Table } from '../src/index';

/**
 * Parquet as other tools write it: DuckDB (the official @duckdb/node-api, its own Parquet writer) writes the same
 * rows with each codec that Polars, pyarrow, Spark and DuckDB use by default or on request, and DuckDB's own
 * read-back of each file is the reference the reader must match.
 */
const CODECS = [
  ['zstd', 'ZSTD'],
  ['gzip', 'GZIP'],
  ['brotli', 'BROTLI'],
  ['lz4_raw', 'LZ4_RAW'],
  ['snappy', 'SNAPPY'],
  ['uncompressed', 'UNCOMPRESSED'],
] as const;

const ROWS = `SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.25 END AS price, 'genre-' || (i % 5) AS genre
  FROM range(5000) t(i)`;

let directory: string;
let duck: DuckDBConnection;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'parquet-codecs-'));
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function written(codec: string): Promise<string> {
  const path = join(directory, `${codec}.parquet`);
  await duck.run(`COPY (${ROWS}) TO '${path}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 2048)`);
  return path;
}

async function duckdbReadBack(path: string, column: string): Promise<unknown[]> {
  const reader = await duck.runAndReadAll(`SELECT ${column} FROM '${path}'`);
  return reader.getRows().map(([value]) => value);
}

async function codecOf(path: string): Promise<string> {
  const reader = await duck.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
  return reader
    .getRows()
    .map(([value]) => String(value))
    .join(',');
}

const numeric = (table: Table, name: string) =>
  Array.from((table.columns.find((c) => c.name === name) as NumericColumn).values);
function texts(table: Table, name: string): (string | null)[] {
  const column = table.columns.find((c) => c.name === name) as CategoricalColumn;
  return Array.from(column.codes ?? [], (code) => (code < 0 ? null : (column.dictionary[code] ?? '')));
}

describe('readTable on Parquet written by DuckDB', () => {
  it.each(CODECS)('reads %s pages as DuckDB reads them back', async (codec, footerName) => {
    const path = await written(codec);
    expect(await codecOf(path)).toBe(footerName);
    const table = await readTable([path]);
    expect(table.rows).toBe(5000);
    expect(numeric(table, 'id')).toEqual((await duckdbReadBack(path, 'id')).map(Number));
    expect(numeric(table, 'price')).toEqual(
      (await duckdbReadBack(path, 'price')).map((value) => (value === null ? NaN : Number(value))),
    );
    expect(texts(table, 'genre')).toEqual(await duckdbReadBack(path, 'genre'));
  });

  it.each(CODECS.filter(([codec]) => codec !== 'uncompressed'))(
    'names the file and the codec when a %s page is damaged',
    async (codec, footerName) => {
      const path = await written(codec);
      const bytes = readFileSync(path);
      // The first data page starts right after the 4-byte magic and its page header; scramble its body.
      for (let i = 40; i < 200; i++) bytes[i] = ((bytes[i] ?? 0) * 31 + 7) & 255;
      writeFileSync(path, bytes);
      await expect(readTable([path])).rejects.toThrow(
        new RegExp(
          `^${path}: could not be decoded \\(compression ${footerName}\\): .+; the file may be damaged`,
        ),
      );
    },
  );
});
