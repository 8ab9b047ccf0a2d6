import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@recsys-actions/testkit/random';
import type { ReadTableOptions, Table } from '../src/index';
import { READ_MECHANICS, readTableWith, type ReadMechanics } from '../src/table';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'data-plain-records-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (random: Random, probability: number): boolean => random() < probability;

function digits(random: Random, count: number): string {
  return Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');
}

/** A plain decimal the shortcut parses itself, now and then with too many digits for it. */
function plainNumber(random: Random): string {
  if (chance(random, 0.03)) return pick(random, ['-0', '-0.0', '+0', '0.', '.5', '-.25', '+7']);
  const sign = pick(random, ['', '', '', '-', '+']);
  const integer = digits(random, chance(random, 0.05) ? 12 : 1 + Math.floor(random() * 5));
  const fraction = chance(random, 0.7) ? `.${digits(random, Math.floor(random() * 6))}` : '';
  return sign + integer + fraction;
}

/** A numeric cell the general path must read: missing tokens, exponents, spaces, quotes, long digit runs. */
const UNUSUAL_NUMBERS = [
  '',
  'NA',
  'NaN',
  'null',
  ' N/A ',
  '1e5',
  '-2.5E-3',
  ' 7 ',
  '"8.5"',
  '12345678901234567',
  '0.1000000000000000055511151231257827',
  '.',
  '-',
];
const TEXTS = ['drama', 'comedy', 'c3_17', 'é', '日本語', 'straße', 'a"b', 'x\ry', '', 'NA', 'None', ' NA '];
const QUOTED_TEXTS = [
  '"a,b"',
  '"say ""hi"""',
  '"two\nlines"',
  '"tab\there"',
  '"drama"',
  '""',
  '"crlf\r\ninside"',
];

type Kind = 'numeric' | 'mixed' | 'text';

/** A cell of a column of `kind`; `noise` scales how often it is one the shortcut declines. */
function cell(random: Random, kind: Kind, noise: number): string {
  if (kind === 'text') {
    if (chance(random, 0.08 * noise)) return pick(random, QUOTED_TEXTS);
    return chance(random, 0.5) ? pick(random, TEXTS) : `c${Math.floor(random() * 40)}`;
  }
  if (chance(random, 0.06 * noise)) return pick(random, UNUSUAL_NUMBERS);
  // A column that turns out textual, late enough to restart a read that has written rows.
  if (kind === 'mixed' && chance(random, 0.02 * noise)) return pick(random, ['high', 'low', 'n/a yet']);
  return plainNumber(random);
}

interface Case {
  readonly files: string[];
  readonly options: ReadTableOptions;
  readonly label: string;
}

/** One or two files with one header, mostly plain records sprinkled with everything the shortcut declines. */
function randomCase(seed: number): Case {
  const random = seededRandom(seed);
  const tsv = chance(random, 0.3);
  const delimiter = tsv ? '\t' : ',';
  const kinds = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
    pick<Kind>(random, ['numeric', 'numeric', 'mixed', 'text', 'text']),
  );
  const names = kinds.map((kind, i) => `${kind}_${i}`);
  // Some files are nearly clean, so the shortcut also takes long runs of records.
  const noise = chance(random, 0.3) ? 0.01 : 1;
  const crlf = chance(random, 0.2 * noise);
  const files = Array.from({ length: chance(random, 0.2) ? 2 : 1 }, (_, part) => {
    const lines: string[] = [names.join(delimiter)];
    // Now and then more rows than the shortcut batches at once.
    const rows = chance(random, 0.1) ? 300 + Math.floor(random() * 400) : 1 + Math.floor(random() * 120);
    for (let r = 0; r < rows; r++) {
      if (chance(random, 0.03 * noise)) {
        lines.push('');
        continue;
      }
      const fields = kinds.map((kind) => cell(random, kind, noise));
      if (chance(random, 0.02 * noise)) fields.pop();
      if (chance(random, 0.02 * noise)) fields.push(plainNumber(random));
      lines.push(fields.join(delimiter) + (crlf || chance(random, 0.03 * noise) ? '\r' : ''));
    }
    const bom = chance(random, 0.1) ? '\ufeff' : '';
    const ending = chance(random, 0.8) ? '\n' : '';
    const path = join(directory, `case-${seed}-${part}.${tsv ? 'tsv' : 'csv'}`);
    writeFileSync(path, bom + lines.join('\n') + ending);
    return path;
  });
  const fixed = pick(random, [undefined, 'numeric', 'categorical'] as const);
  const options: ReadTableOptions = {
    onBadRows: chance(random, 0.5) ? 'skip' : 'fail',
    categoryCodes: chance(random, 0.5),
    ...(fixed === undefined ? {} : { columnTypes: { [pick(random, names)]: fixed } }),
    ...(chance(random, 0.25) ? { columns: names.filter(() => chance(random, 0.6)) } : {}),
  };
  return { files, options, label: `seed ${seed}: ${JSON.stringify(options)}` };
}

type Outcome = { table: unknown } | { error: string };

/** The table as plain data (NaN and -0 kept, which toEqual tells apart), or the error the read ended with. */
async function outcome(read: Promise<Table>): Promise<Outcome> {
  try {
    const { columns, ...table } = await read;
    return {
      table: {
        ...table,
        columns: columns.map((column) =>
          column.type === 'numeric'
            ? { ...column, values: Array.from(column.values) }
            : {
                ...column,
                codes: column.codes && Array.from(column.codes),
                counts: Array.from(column.counts),
              },
        ),
      },
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// The reference is readTable with the plain-record shortcut off: the general path alone, as readTable was before
// the shortcut existed. A hand-written expectation could not cover this many combinations, and a mock would
// check our own guess of that path instead of the path itself.
const GENERAL_PATH: ReadMechanics = { ...READ_MECHANICS, plainRecordShortcut: false };

describe('the plain-record shortcut', () => {
  it('reads seeded random CSV and TSV files exactly as the general path does, whatever the chunk size', async () => {
    const seen = { errors: 0, skipped: 0, retyped: 0, tables: 0 };
    for (let seed = 1; seed <= 250; seed++) {
      const { files, options, label } = randomCase(seed);
      const expected = await outcome(readTableWith(files, options, GENERAL_PATH));
      const chunkBytes = 8 + (seed % 40);
      for (const mechanics of [READ_MECHANICS, { plainRecordShortcut: true, chunkBytes }]) {
        const actual = await outcome(readTableWith(files, options, mechanics));
        expect({ label, chunkBytes: mechanics.chunkBytes, ...actual }).toEqual({
          label,
          chunkBytes: mechanics.chunkBytes,
          ...expected,
        });
      }
      if ('error' in expected) seen.errors++;
      else {
        const table = expected.table as Table;
        seen.tables++;
        if (table.skippedBadRows > 0) seen.skipped++;
        const restarted = (name: string, type: string) =>
          name.startsWith('mixed') && type === 'categorical' && options.columnTypes?.[name] === undefined;
        if (table.columns.some((column) => restarted(column.name, column.type))) seen.retyped++;
      }
    }
    // The cases must keep exercising failures, skipped rows and restarts, not only clean files.
    expect(Object.values(seen).every((count) => count >= 10)).toBe(true);
  });

  it('takes plain records around every kind of record it declines, keeping lines and dictionaries in order', async () => {
    const path = join(directory, 'declined.csv');
    const content =
      '\ufeffn,t,m\n' +
      '1.5,b,2\n' +
      '"2",a,3\n' +
      '3,"q,\nr",4\n' +
      '4,a,5\r\n' +
      '\n' +
      '5,c,1e3\n' +
      '6,,NA\n' +
      '7,b\n' +
      '8,d,9,10\n' +
      '-0,é,12345678901234567\n' +
      '9,a,x\n';
    writeFileSync(path, content);
    const options: ReadTableOptions = { onBadRows: 'skip', columnTypes: { m: 'numeric' } };
    const expected = await outcome(readTableWith([path], options, GENERAL_PATH));
    expect(expected).toMatchObject({
      table: {
        rows: 7,
        skippedBadRows: 3,
        firstBadRow: `${path} (line 10): has 2 fields where the header has 3`,
        columns: [
          { values: [1.5, 2, 3, 4, 5, 6, -0] },
          { dictionary: ['b', 'a', 'q,\nr', 'c', 'é'], counts: [1, 2, 1, 1, 1], missing: 1 },
          { values: [2, 3, 4, 5, 1000, NaN, 12345678901234568] },
        ],
      },
    });
    for (let chunkBytes = 1; chunkBytes <= 24; chunkBytes++) {
      const mechanics = { plainRecordShortcut: true, chunkBytes };
      expect(await outcome(readTableWith([path], options, mechanics))).toEqual(expected);
    }
  });
});
