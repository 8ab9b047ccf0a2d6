import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  NoMatchingFileError,
  readTable,
  type CategoricalColumn,
  type NumericColumn,
  type Table,
} from '../src/index';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'data-table-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, content: string | ArrayBuffer): string {
  const path = join(directory, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : new Uint8Array(content));
  return path;
}

function numeric(table: Table, name: string): NumericColumn {
  const column = table.columns.find((candidate) => candidate.name === name);
  if (column?.type !== 'numeric') throw new Error(`${name} is not numeric`);
  return column;
}

function categorical(table: Table, name: string): CategoricalColumn {
  const column = table.columns.find((candidate) => candidate.name === name);
  if (column?.type !== 'categorical') throw new Error(`${name} is not categorical`);
  return column;
}

/** The column's values as texts, null where missing, to compare dictionary-encoded data directly. */
function texts(column: CategoricalColumn): (string | null)[] {
  if (column.codes === undefined) throw new Error(`${column.name} was read without codes`);
  return Array.from(column.codes, (code) => (code < 0 ? null : (column.dictionary[code] as string)));
}

/** Each category's count by name, in dictionary order, with the missing count. */
function tally(column: CategoricalColumn): { counts: Record<string, number>; missing: number } {
  const counts = Object.fromEntries(
    column.dictionary.map((text, code) => [text, column.counts[code] as number]),
  );
  return { counts, missing: column.missing };
}

describe('readTable types and missing values', () => {
  it('reads numbers as Float64Array with NaN and texts as dictionary codes with -1', async () => {
    const path = file(
      'types.csv',
      'score,genre,zip\n0.5,drama,02134\n,comedy,10001\n2e3,NA,\n-1,drama,02134\n',
    );
    const table = await readTable([path]);
    expect(table.rows).toBe(4);
    expect(table.columns.map((column) => [column.name, column.type])).toEqual([
      ['score', 'numeric'],
      ['genre', 'categorical'],
      ['zip', 'numeric'],
    ]);
    expect(Array.from(numeric(table, 'score').values)).toEqual([0.5, NaN, 2000, -1]);
    expect(numeric(table, 'score').missing).toBe(1);
    const genre = categorical(table, 'genre');
    expect(genre.dictionary).toEqual(['drama', 'comedy']);
    expect(Array.from(genre.codes ?? [])).toEqual([0, 1, -1, 0]);
    expect(genre.missing).toBe(1);
    expect(Array.from(genre.counts)).toEqual([2, 1]);
  });

  it('keeps a column categorical when asked, so codes like zip keep their leading zeros', async () => {
    const path = file('zip.csv', 'zip\n02134\n10001\n\n02134\n');
    const table = await readTable([path], { columnTypes: { zip: 'categorical' } });
    expect(texts(categorical(table, 'zip'))).toEqual(['02134', '10001', '02134']);
  });

  it('turns a column categorical when text follows numbers, keeping the numbers as written', async () => {
    const path = file('mixed.csv', 'level,x\n1.50,1\n2,2\nhigh,3\n');
    const table = await readTable([path]);
    expect(texts(categorical(table, 'level'))).toEqual(['1.50', '2', 'high']);
    expect(Array.from(numeric(table, 'x').values)).toEqual([1, 2, 3]);
  });

  it('reads JSONL with absent keys and nulls as missing, booleans as categories', async () => {
    const path = file(
      'rows.jsonl',
      '{"score": 1.5, "flag": true}\n{"flag": false}\n{"score": null, "flag": null}\n{"score": "2", "flag": true}\n',
    );
    const table = await readTable([path]);
    expect(Array.from(numeric(table, 'score').values)).toEqual([1.5, NaN, NaN, 2]);
    expect(texts(categorical(table, 'flag'))).toEqual(['true', 'false', null, 'true']);
  });
});

describe('readTable category counts', () => {
  const content = 'genre,score,zip\ndrama,1,a\ncomedy,2,NA\n,3,b\ndrama,4,\nNone,5,a\ndrama,6, NA \n';

  it('counts rows per category next to the codes, leaving missing values out', async () => {
    const path = file('counts.csv', content);
    const table = await readTable([path]);
    const genre = categorical(table, 'genre');
    expect(tally(genre)).toEqual({ counts: { drama: 3, comedy: 1 }, missing: 2 });
    expect(texts(genre)).toEqual(['drama', 'comedy', null, 'drama', null, 'drama']);
    expect(tally(categorical(table, 'zip'))).toEqual({ counts: { a: 2, b: 1 }, missing: 3 });
  });

  it('keeps only the counts when asked, with the same dictionary', async () => {
    const path = file('counts-only.csv', content);
    const withCodes = await readTable([path]);
    const table = await readTable([path], { categoryCodes: false });
    for (const name of ['genre', 'zip']) {
      const column = categorical(table, name);
      expect(column.codes).toBeUndefined();
      expect(tally(column)).toEqual(tally(categorical(withCodes, name)));
    }
    expect(Array.from(numeric(table, 'score').values)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('does not count the texts of skipped rows, whatever their place in the row', async () => {
    // `label` comes before the bad number and `tail` after it; neither may count the rejected rows.
    const path = file('skip-counts.csv', 'label,v,tail\na,1,x\nb,oops,y\nc,2\na,3,x\nNA,4,z\n');
    for (const categoryCodes of [true, false]) {
      const table = await readTable([path], {
        onBadRows: 'skip',
        columnTypes: { v: 'numeric' },
        categoryCodes,
      });
      expect(table.rows).toBe(3);
      expect(table.skippedBadRows).toBe(2);
      expect(tally(categorical(table, 'label'))).toEqual({ counts: { a: 2 }, missing: 1 });
      expect(tally(categorical(table, 'tail'))).toEqual({ counts: { x: 2, z: 1 }, missing: 0 });
    }
  });

  it("types no column by a bad row: the text beside a declared column's bad value leaves its column numeric", async () => {
    const path = file('bad-row-text.csv', 'x,y\n1,2\nbad,oops\n3,4\n');
    const table = await readTable([path], { columnTypes: { x: 'numeric' }, onBadRows: 'skip' });
    expect(table.columns.map((column) => column.type)).toEqual(['numeric', 'numeric']);
    expect([table.rows, table.skippedBadRows]).toEqual([2, 1]);
  });

  it('counts each row once when text late in a column restarts the read', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i % 3 === 0 ? 'u' : 'v'},${i}`);
    const path = file('retype-counts.csv', `label,level\n${rows.join('\n')}\nw,high\n`);
    const table = await readTable([path], { categoryCodes: false });
    expect(tally(categorical(table, 'label'))).toEqual({ counts: { u: 1000, v: 2000, w: 1 }, missing: 0 });
    const level = categorical(table, 'level');
    expect(level.dictionary).toHaveLength(3001);
    expect(level.counts.every((count) => count === 1)).toBe(true);
  });

  it('counts JSONL values, absent keys and nulls as missing', async () => {
    const path = file('counts.jsonl', '{"g": "a"}\n{"g": null}\n{}\n{"g": "b"}\n{"g": "a"}\n{"g": true}\n');
    const table = await readTable([path], { categoryCodes: false });
    expect(tally(categorical(table, 'g'))).toEqual({ counts: { a: 2, b: 1, true: 1 }, missing: 2 });
  });

  it('counts Parquet values across row groups, nulls and missing texts as missing', async () => {
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: 'genre', data: ['drama', null, 'comedy', 'drama', 'NA', 'drama'], type: 'STRING' },
      ],
      rowGroupSize: 4,
    });
    const path = file('counts.parquet', parquet);
    const table = await readTable([path], { categoryCodes: false });
    expect(tally(categorical(table, 'genre'))).toEqual({ counts: { drama: 3, comedy: 1 }, missing: 2 });
  });
});

describe('readTable files and globs', () => {
  it('expands a glob to sorted files and reads them in that order', async () => {
    file('shards/part-2.csv', 'v\n3\n');
    file('shards/part-1.csv', 'v\n1\n2\n');
    file('shards/notes.txt', 'not data');
    const table = await readTable([join(directory, 'shards/part-*.csv')]);
    expect(table.files.map((path) => path.slice(directory.length + 1))).toEqual([
      'shards/part-1.csv',
      'shards/part-2.csv',
    ]);
    expect(Array.from(numeric(table, 'v').values)).toEqual([1, 2, 3]);
  });

  it('keeps the first row of a file that starts exactly where the columns are full', async () => {
    // Columns start with room for 1024 rows; the second file's first row must make them grow, not vanish.
    const first = file('full-1.csv', `v,c\n${Array.from({ length: 1024 }, (_, i) => `${i},x`).join('\n')}\n`);
    const second = file('full-2.csv', 'v,c\n1024,y\n1025,y\n');
    const table = await readTable([first, second]);
    expect(Array.from(numeric(table, 'v').values.subarray(1022))).toEqual([1022, 1023, 1024, 1025]);
    expect(texts(categorical(table, 'c')).slice(1022)).toEqual(['x', 'x', 'y', 'y']);
  });

  it('names the pattern that matches nothing', async () => {
    const pattern = join(directory, 'nowhere/*.parquet');
    const error = await readTable([pattern]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoMatchingFileError);
    expect(error).toMatchObject({ pattern, message: `${pattern}: matches no file` });
  });

  it('names the file and the column a later file lacks', async () => {
    const first = file('a.csv', 'v,w\n1,2\n');
    const second = file('b.csv', 'v\n1\n');
    await expect(readTable([first, second])).rejects.toThrow(`${second} (line 1): has no column 'w'`);
  });
});

describe('readTable Parquet', () => {
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: 'score', data: [0.25, null, 3, 4.5, -1], type: 'DOUBLE' },
      { name: 'clicks', data: [1n, 2n, 3n, null, 5n], type: 'INT64' },
      { name: 'genre', data: ['drama', 'comedy', null, 'drama', 'NA'], type: 'STRING' },
      { name: 'code', data: ['1', '2', '3', '4', ''], type: 'STRING' },
    ],
    rowGroupSize: 2,
  });

  it('reads typed columns across row groups, nulls as missing', async () => {
    const path = file('data.parquet', parquet);
    const table = await readTable([path]);
    expect(table.rows).toBe(5);
    expect(Array.from(numeric(table, 'score').values)).toEqual([0.25, NaN, 3, 4.5, -1]);
    expect(Array.from(numeric(table, 'clicks').values)).toEqual([1, 2, 3, NaN, 5]);
    expect(texts(categorical(table, 'genre'))).toEqual(['drama', 'comedy', null, 'drama', null]);
    // Text columns follow the same detection rule as CSV.
    expect(Array.from(numeric(table, 'code').values)).toEqual([1, 2, 3, 4, NaN]);
  });

  it('appends Parquet and CSV files into one table', async () => {
    const path = file('mix.parquet', parquet);
    const csv = file('mix.csv', 'score,clicks,genre,code\n7,8,thriller,x\n');
    const table = await readTable([path, csv]);
    expect(Array.from(numeric(table, 'score').values)).toEqual([0.25, NaN, 3, 4.5, -1, 7]);
    expect(texts(categorical(table, 'code'))).toEqual(['1', '2', '3', '4', null, 'x']);
  });

  it('says a file with a Parquet name that is not Parquet', async () => {
    const path = file('fake.parquet', 'a,b\n1,2\n');
    await expect(readTable([path])).rejects.toThrow(`${path}: is not a Parquet file`);
  });

  it('names file, row and column when text sits in a column declared numeric', async () => {
    const path = file('typed.parquet', parquet);
    await expect(readTable([path], { columnTypes: { genre: 'numeric' } })).rejects.toThrow(
      `${path} (column 'genre'): has 'drama' in row 1 where a number is required (e.g. 0.25)`,
    );
  });
});

describe('readTable bad rows', () => {
  const content = 'v,label\n1,a\n2\nx,b\n4,c\n';

  it('fails on the first malformed row with file and line', async () => {
    const path = file('bad.csv', content);
    await expect(readTable([path])).rejects.toThrow(`${path} (line 3): has 1 fields where the header has 2`);
  });

  it('fails naming the column when a numeric column holds text', async () => {
    const path = file('bad-number.csv', 'v,label\n1,a\nx,b\n');
    await expect(readTable([path], { columnTypes: { v: 'numeric' } })).rejects.toThrow(
      `${path} (line 3, column 'v'): has 'x' where a number is required (e.g. 0.25)`,
    );
  });

  it('skips and counts malformed rows when asked', async () => {
    const path = file('skip.csv', content);
    const table = await readTable([path], { onBadRows: 'skip', columnTypes: { v: 'numeric' } });
    expect(table.rows).toBe(2);
    expect(table.skippedBadRows).toBe(2);
    expect(table.firstBadRow).toBe(`${path} (line 3): has 1 fields where the header has 2`);
    expect(Array.from(numeric(table, 'v').values)).toEqual([1, 4]);
    // The skipped row's label never enters the dictionary.
    expect(categorical(table, 'label').dictionary).toEqual(['a', 'c']);
  });

  it('skips JSONL lines that are not objects', async () => {
    const path = file('skip.jsonl', '{"v": 1}\n[1]\nnot json\n{"v": 2}\n');
    const table = await readTable([path], { onBadRows: 'skip' });
    expect(Array.from(numeric(table, 'v').values)).toEqual([1, 2]);
    expect(table.skippedBadRows).toBe(2);
  });
});
