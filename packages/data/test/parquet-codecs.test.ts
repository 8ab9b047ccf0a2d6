import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetWriteBuffer } from 'hyparquet-writer';
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

/**
 * The "LZ4" codec as parquet-mr before 1.13 and Arrow's LZ4_HADOOP write it: each page is one or more Hadoop
 * frames, a big-endian uncompressed length and compressed length before a raw LZ4 block. No writer on this
 * machine produces it (DuckDB writes LZ4_RAW for both names, pyarrow is not packaged), so the file is written
 * here: hyparquet-writer lays out the pages and names the codec LZ4, and each page body is compressed by the
 * reference LZ4 library (Debian's python3-lz4, lz4.block) and framed as Hadoop does, split in two frames so
 * that a reader must follow the framing rather than guess one block.
 */
describe('readTable on Hadoop-framed LZ4 Parquet', () => {
  const lz4Block = (bytes: Uint8Array): Buffer =>
    execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, lz4.block; sys.stdout.buffer.write(lz4.block.compress(sys.stdin.buffer.read(), store_size=False))',
      ],
      { input: bytes },
    );
  const hadoopFrame = (bytes: Uint8Array): Buffer => {
    const block = lz4Block(bytes);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(bytes.length, 0);
    header.writeUInt32BE(block.length, 4);
    return Buffer.concat([header, block]);
  };
  const hadoopLz4 = (bytes: Uint8Array): Uint8Array => {
    const half = Math.floor(bytes.length / 2);
    return new Uint8Array(
      Buffer.concat([hadoopFrame(bytes.subarray(0, half)), hadoopFrame(bytes.subarray(half))]),
    );
  };

  it('reads every page as written', async () => {
    const ids = Array.from({ length: 3000 }, (_, i) => i);
    const prices = ids.map((i) => (i % 7) * 1.5);
    const genres = ids.map((i) => `genre-${i % 5}`);
    const path = join(directory, 'hadoop-lz4.parquet');
    writeFileSync(
      path,
      new Uint8Array(
        parquetWriteBuffer({
          codec: 'LZ4',
          compressors: { LZ4: hadoopLz4 },
          columnData: [
            { name: 'id', data: ids, type: 'DOUBLE' },
            { name: 'price', data: prices, type: 'DOUBLE' },
            { name: 'genre', data: genres, type: 'STRING' },
          ],
        }),
      ),
    );
    expect(await codecOf(path)).toBe('LZ4');
    const table = await readTable([path]);
    expect(numeric(table, 'id')).toEqual(ids);
    expect(numeric(table, 'price')).toEqual(prices);
    expect(texts(table, 'genre')).toEqual(genres);
  });
});
