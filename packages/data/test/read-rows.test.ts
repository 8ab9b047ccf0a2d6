import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@recsys-actions/core';
import { rejectionOf } from '@recsys-actions/testkit';
import type { ReadOptions } from '../src/index';
import { readColumnNames, readRows } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'data-read-rows-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Every selected value as text (or null when absent), with the record's line. */
async function collect(path: string, options: ReadOptions) {
  const records: { line: number; values: (string | null)[] }[] = [];
  const summary = await readRows(path, options, (row) => {
    records.push({
      line: row.line,
      values: options.columns.map((_, column) => (row.has(column) ? row.text(column) : null)),
    });
  });
  return { records, summary };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, DataError);

describe('readRows on CSV', () => {
  it('selects columns by name, in the requested order, with line numbers', async () => {
    const path = file('basic.csv', 'user,item,score\nu1,i1,0.5\nu2,i2,1e-3\n');
    const { records, summary } = await collect(path, { columns: ['score', 'user'] });
    expect(records).toEqual([
      { line: 2, values: ['0.5', 'u1'] },
      { line: 3, values: ['1e-3', 'u2'] },
    ]);
    expect(summary).toEqual({ rows: 2, columns: ['user', 'item', 'score'] });
  });

  it('follows RFC 4180 quoting, CRLF, a BOM, blank lines and a missing final newline', async () => {
    const content =
      '\ufeffid,"te,xt",n\r\n' +
      '1,"a,b",1\r\n' +
      '\r\n' +
      '2,"say ""hi""",2\r\n' +
      '3,"two\nlines",3\n' +
      '4,,4\n' +
      '5,""," 5 "';
    const { records, summary } = await collect(file('quoted.csv', content), {
      columns: ['id', 'te,xt', 'n'],
    });
    expect(summary.columns).toEqual(['id', 'te,xt', 'n']);
    expect(records).toEqual([
      { line: 2, values: ['1', 'a,b', '1'] },
      { line: 4, values: ['2', 'say "hi"', '2'] },
      { line: 5, values: ['3', 'two\nlines', '3'] },
      { line: 7, values: ['4', '', '4'] },
      { line: 8, values: ['5', '', ' 5 '] },
    ]);
  });

  it('gives the same records whatever the chunk size, so records cut by a chunk boundary are stitched', async () => {
    const content = 'a,b\n"x\n""y""",1\r\nlonger value here,"2"\n"",3\r\n\n"q",4';
    const path = file('chunks.csv', content);
    const expected = await collect(path, { columns: ['a', 'b'] });
    expect(expected.records).toHaveLength(4);
    for (let chunkBytes = 1; chunkBytes <= 12; chunkBytes++) {
      expect(await collect(path, { columns: ['a', 'b'], chunkBytes })).toEqual(expected);
    }
  });

  it('parses numbers, including signs, exponents and surrounding spaces', async () => {
    const path = file('numbers.csv', 'v\n-1.25\n+3\n.5\n1e3\n 7 \n0.1000000000000000055511151231257827\n');
    const values: number[] = [];
    await readRows(path, { columns: ['v'] }, (row) => values.push(row.number(0)));
    expect(values).toEqual([-1.25, 3, 0.5, 1000, 7, 0.1]);
  });

  it('compares text without decoding when it can, and correctly when it cannot', async () => {
    const path = file('equals.csv', 'v\nabc\n"a""b"\nçé\n');
    const matches: boolean[] = [];
    await readRows(path, { columns: ['v'] }, (row) => {
      matches.push(row.textEquals(0, 'abc'), row.textEquals(0, 'a"b'), row.textEquals(0, 'çé'));
    });
    expect(matches).toEqual([true, false, false, false, true, false, false, false, true]);
  });

  it('marks optional columns the header lacks as absent', async () => {
    const path = file('optional.csv', 'user,item\nu1,i1\n');
    const { records } = await collect(path, { columns: ['user', { name: 'rating', optional: true }] });
    expect(records).toEqual([{ line: 2, values: ['u1', null] }]);
  });

  it('stops after `limit` records and reads a header alone', async () => {
    const path = file('limit.csv', 'a,b\n1,2\n3,4\n5,6\n');
    expect((await collect(path, { columns: ['a'], limit: 2 })).records.map((r) => r.values)).toEqual([
      ['1'],
      ['3'],
    ]);
    expect(await readColumnNames(path)).toEqual(['a', 'b']);
  });

  it('reads TSV with the same quoting rules', async () => {
    const path = file('plain.tsv', 'user\titem\nu1\t"a\tb"\n');
    expect((await collect(path, { columns: ['item'] })).records).toEqual([{ line: 2, values: ['a\tb'] }]);
  });

  it('takes the format from an override when the extension says nothing', async () => {
    const path = file('data.txt', 'a\n1\n');
    expect((await collect(path, { columns: ['a'], format: 'csv' })).records).toHaveLength(1);
  });
});

describe('readRows errors', () => {
  it('names a missing column and lists the columns that exist', async () => {
    const path = file('missing.csv', 'user,item\nu1,i1\n');
    const error = await failure(readRows(path, { columns: ['user', 'score'] }, () => undefined));
    expect(error.message).toBe(`${path} (line 1): has no column 'score' (its columns: user, item)`);
  });

  it('names file, line and column of a non-numeric value', async () => {
    const path = file('nan.csv', 'user,score\nu1,0.5\nu2,"high"\nu3,\n');
    const error = await failure(readRows(path, { columns: ['score'] }, (row) => row.number(0)));
    expect(error.message).toBe(
      `${path} (line 3, column 'score'): has 'high' where a number is required (e.g. 0.25)`,
    );
    const empty = file('empty-number.csv', 'score\n\n""\n');
    expect((await failure(readRows(empty, { columns: ['score'] }, (row) => row.number(0)))).message).toBe(
      `${empty} (line 3, column 'score'): has an empty value where a number is required (e.g. 0.25)`,
    );
  });

  it.each([
    ['fewer fields', 'a,b\n1,2\n3\n', 'line 3', 'has 1 fields where the header has 2'],
    ['more fields', 'a,b\n1,2,3\n', 'line 2', "has more fields than the header's 2"],
    ['an unclosed quote', 'a,b\n1,"2\n3,4\n', 'line 2', 'has a quoted field that is never closed'],
    ['text after a quote', 'a\n"x"y\n', 'line 2', 'has text after a closing quote'],
    ['a repeated header name', 'a,a\n1,2\n', 'line 1', "names column 'a' twice in its header"],
  ])('reports %s', async (_, content, where, problem) => {
    const path = file('malformed.csv', content);
    const error = await failure(readRows(path, { columns: ['a'] }, () => undefined));
    expect(error.message).toContain(`${path} (${where}): ${problem}`);
  });

  it('reports an empty file, a missing file and an unknown extension', async () => {
    const empty = file('empty.csv', '\n');
    expect((await failure(readRows(empty, { columns: [] }, () => undefined))).message).toContain('is empty');
    const missing = join(dir, 'nope.csv');
    expect((await failure(readRows(missing, { columns: [] }, () => undefined))).message).toBe(
      `${missing}: does not exist; check the path (relative to the workspace)`,
    );
    expect(() => readRows(join(dir, 'x.parquet'), { columns: [] }, () => undefined)).toThrow(
      /\.csv, \.tsv, \.jsonl or \.ndjson/,
    );
  });
});

describe('readRows on JSONL', () => {
  it('reads objects per line, numbers from numbers or numeric text, and optional keys', async () => {
    const path = file(
      'rows.jsonl',
      '{"user":"u1","item":7,"score":0.5}\r\n\n{"user":"u2","item":"i2","score":"2.5","rank":null}\n',
    );
    const seen: unknown[] = [];
    const summary = await readRows(
      path,
      { columns: ['user', 'item', 'score', { name: 'rank', optional: true }], chunkBytes: 5 },
      (row) =>
        seen.push([row.line, row.text(0), row.text(1), row.number(2), row.has(3), row.textEquals(1, '7')]),
    );
    expect(seen).toEqual([
      [1, 'u1', '7', 0.5, false, true],
      [3, 'u2', 'i2', 2.5, false, false],
    ]);
    expect(summary).toEqual({ rows: 2, columns: ['user', 'item', 'score'] });
  });

  it.each([
    [
      'a missing key',
      '{"user":"u1"}\n',
      "(line 1, column 'score'): has no value for key 'score' (keys on this line: user)",
    ],
    ['malformed JSON', '{"score":1}\n{"score":\n', '(line 2): is not valid JSON'],
    ['a non-object', '[1,2]\n', '(line 1): holds an array; expected one JSON object per line'],
    [
      'a non-numeric value',
      '{"score":"x"}\n',
      "(line 1, column 'score'): holds 'x' where a number is required",
    ],
    ['an object value', '{"score":{"a":1}}\n', "(line 1, column 'score'): holds an object where a number"],
  ])('reports %s', async (_, content, expected) => {
    const path = file('bad.ndjson', content);
    const error = await failure(readRows(path, { columns: ['score'] }, (row) => row.number(0)));
    expect(error.message).toContain(`${path} ${expected}`);
  });
});
