import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readTable, type NumericColumn, type TableChunks } from '../src/index';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'data-chunks-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const ROWS = 5000;
const xs = Array.from({ length: ROWS }, (_, i) => (i * 37) % 1001);
const ys = Array.from({ length: ROWS }, (_, i) => (i % 13 === 0 ? '' : String(i / 4)));
const tags = Array.from({ length: ROWS }, (_, i) => `t${i % 7}`);

/** Reads `paths` in chunks of `rows`, returning the numeric columns' values joined and the largest chunk seen. */
async function readChunked(paths: string[], rows: number) {
  let joined: number[][] = [];
  let largest = 0;
  let restarts = 0;
  const chunks: TableChunks = {
    rows,
    onChunk(values) {
      largest = Math.max(largest, ...values.map((column) => column.length));
      joined = values.map((column, i) => [...(joined[i] ?? []), ...column]);
    },
    onRestart() {
      joined = [];
      restarts++;
    },
  };
  const table = await readTable(paths, { categoryCodes: false, chunks });
  return { table, joined, largest, restarts };
}

describe('readTable in chunks', () => {
  it('hands on every numeric value once, in order, in chunks of at most the given rows', async () => {
    const csv = ['x,y,tag', ...xs.map((x, i) => `${x},${ys[i]},${tags[i]}`)].join('\n');
    const path = join(directory, 'a.csv');
    writeFileSync(path, `${csv}\n`);
    const copy = join(directory, 'b.csv');
    writeFileSync(copy, `${csv}\n`);
    const whole = await readTable([path], { categoryCodes: false });
    for (const rows of [1, 999, 4096, 100_000]) {
      const { table, joined, largest } = await readChunked([path, copy], rows);
      expect(largest).toBeLessThanOrEqual(rows);
      expect(table.rows).toBe(2 * ROWS);
      const expected = whole.columns
        .filter((column): column is NumericColumn => column.type === 'numeric')
        .map((column) => [...column.values, ...column.values]);
      expect(joined).toEqual(expected);
      // Categorical counts are kept whole, as without chunks (twice the file).
      const tag = table.columns.find((column) => column.name === 'tag');
      expect(tag?.type === 'categorical' && Array.from(tag.counts)).toEqual(
        whole.columns.find((column) => column.name === 'tag')?.type === 'categorical'
          ? Array.from((whole.columns[2] as { counts: Uint32Array }).counts, (count) => count * 2)
          : [],
      );
    }
  });

  it('voids what it handed on when a column guessed numeric turns out text, then streams it again', async () => {
    const lines = ['x,code', ...xs.map((x, i) => `${x},${i === ROWS - 2 ? 'A7' : i}`)];
    const path = join(directory, 'retype.jsonl.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { table, joined, restarts } = await readChunked([path], 1000);
    expect(restarts).toBe(1);
    expect(table.columns.map((column) => column.type)).toEqual(['numeric', 'categorical']);
    expect(joined).toEqual([xs]);
  });

  it('starts columns whose first records hold text categorical, without a restart', async () => {
    const lines = [
      'x,tag,code,late',
      ...xs.map((x, i) => `${x},${tags[i]},${i === 1 ? 'NA' : i},${i === 150 ? 'z' : i}`),
    ];
    const path = join(directory, 'text-ahead.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { table, joined, restarts } = await readChunked([path], 1000);
    // tag is text from its first record; code's NA is a missing value; late's text comes after the records looked at.
    expect(restarts).toBe(1);
    expect(table.columns.map((column) => column.type)).toEqual([
      'numeric',
      'categorical',
      'numeric',
      'categorical',
    ]);
    expect(joined[0]).toEqual(xs);
    expect(joined[1]?.filter(Number.isNaN)).toHaveLength(1);
  });

  it('streams Parquet a file at a time, and JSONL in chunks', async () => {
    const parquet = parquetWriteBuffer({ columnData: [{ name: 'x', data: Float64Array.from(xs) }] });
    writeFileSync(join(directory, 'p.parquet'), new Uint8Array(parquet));
    writeFileSync(join(directory, 'j.jsonl'), xs.map((x) => JSON.stringify({ x })).join('\n'));
    const { joined, largest } = await readChunked(
      [join(directory, 'p.parquet'), join(directory, 'j.jsonl')],
      700,
    );
    expect(joined).toEqual([[...xs, ...xs]]);
    expect(largest).toBe(ROWS);
  });
});
