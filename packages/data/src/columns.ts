import { parseDecimalText } from './number';
import { isMissingText } from './missing';
import { TextInterner } from './text-interner';

export type ColumnType = 'numeric' | 'categorical';

/** A numeric column: one double per row, NaN where the value is missing. */
export interface NumericColumn {
  readonly name: string;
  readonly type: 'numeric';
  readonly values: Float64Array;
  readonly missing: number;
}

/** A dictionary-encoded column: the distinct texts in first-seen order, and how often each occurs. */
export interface CategoricalColumn {
  readonly name: string;
  readonly type: 'categorical';
  /**
   * `codes[row]` indexes `dictionary`, -1 where the value is missing. Absent when the table was read with
   * `categoryCodes: false`, which keeps only `counts` and saves four bytes a row.
   */
  readonly codes?: Int32Array;
  readonly dictionary: readonly string[];
  /** `counts[code]`: the rows holding `dictionary[code]`. Missing values are counted in `missing` only. */
  readonly counts: Uint32Array;
  readonly missing: number;
}

export type TableColumn = NumericColumn | CategoricalColumn;

/** What a builder reports when a value does not fit its column, so the reader can decide what happens. */
export const FITS = 0;
/** Text in a column still being detected as numeric: the column must be read again as categorical. */
export const NEEDS_CATEGORICAL = 1;
/** Text in a column declared numeric: a bad row. */
export const NOT_A_NUMBER = 2;
export type Fit = typeof FITS | typeof NEEDS_CATEGORICAL | typeof NOT_A_NUMBER;

/** Whether a numeric column takes this text: a decimal, or a missing-value marker such as `NA`. */
export function fitsNumericColumn(text: string): boolean {
  return parseDecimalText(text) !== undefined || isMissingText(text);
}

const INITIAL_ROWS = 1024;

/** Collects a numeric column; `detecting` is true while its type is a guess that text would overturn. */
export class NumericBuilder {
  private values = new Float64Array(INITIAL_ROWS);

  constructor(
    readonly name: string,
    readonly detecting: boolean,
  ) {}

  reserve(rows: number): void {
    if (rows <= this.values.length) return;
    const larger = new Float64Array(Math.max(rows, this.values.length * 2));
    larger.set(this.values);
    this.values = larger;
  }

  /** The first `rows` values, as a view (valid until the builder writes again). */
  view(rows: number): Float64Array {
    return this.values.subarray(0, rows);
  }

  /** The caller has reserved room for `row`. */
  setNumber(row: number, value: number): void {
    this.values[row] = value;
  }

  setMissing(row: number): void {
    this.values[row] = Number.NaN;
  }

  setText(row: number, text: string): Fit {
    const value = parseDecimalText(text);
    if (value !== undefined) this.values[row] = value;
    else if (isMissingText(text)) this.values[row] = Number.NaN;
    else return this.detecting ? NEEDS_CATEGORICAL : NOT_A_NUMBER;
    return FITS;
  }

  build(rows: number): NumericColumn {
    const values = fitted(this.values, rows);
    let missing = 0;
    // An indexed loop: `for...of` on a typed array run once per column stays unoptimized and costs ~20 ns a value.
    for (let i = 0; i < rows; i++) if (Number.isNaN(values[i])) missing++;
    return { name: this.name, type: 'numeric', values, missing };
  }
}

const MISSING_CODE = -1;
const UNSEEN = -2;

/**
 * Collects a categorical column through a {@link TextInterner}, so repeated texts cost no string. Interned ids
 * map to dictionary codes; ids of missing-value texts map to -1 and never enter the dictionary. Every value is
 * counted as it is set, so a reader must set only the values of rows it keeps; with `keepCodes` false only the
 * counts are kept.
 */
export class CategoricalBuilder {
  readonly interner = new TextInterner();
  private codes: Int32Array | undefined;
  private counts = new Uint32Array(64);
  private missing = 0;
  private codeOfId = new Int32Array(64).fill(UNSEEN);
  private readonly dictionary: string[] = [];

  constructor(
    readonly name: string,
    keepCodes: boolean,
  ) {
    if (keepCodes) this.codes = new Int32Array(INITIAL_ROWS);
  }

  reserve(rows: number): void {
    if (this.codes === undefined || rows <= this.codes.length) return;
    const larger = new Int32Array(Math.max(rows, this.codes.length * 2));
    larger.set(this.codes);
    this.codes = larger;
  }

  /** Records the text behind `id` (from `this.interner`) at `row`. */
  setInterned(row: number, id: number): void {
    let code = id < this.codeOfId.length ? (this.codeOfId[id] as number) : UNSEEN;
    if (code === UNSEEN) code = this.admit(id);
    if (code === MISSING_CODE) this.missing++;
    else this.counts[code] = (this.counts[code] as number) + 1;
    if (this.codes !== undefined) this.codes[row] = code;
  }

  setText(row: number, text: string): typeof FITS {
    this.setInterned(row, this.interner.intern(text));
    return FITS;
  }

  setMissing(row: number): void {
    this.missing++;
    if (this.codes !== undefined) this.codes[row] = MISSING_CODE;
  }

  build(rows: number): CategoricalColumn {
    const column = {
      name: this.name,
      type: 'categorical' as const,
      dictionary: this.dictionary,
      counts: this.counts.slice(0, this.dictionary.length),
      missing: this.missing,
    };
    return this.codes === undefined ? column : { ...column, codes: fitted(this.codes, rows) };
  }

  private admit(id: number): number {
    if (id >= this.codeOfId.length) {
      const larger = new Int32Array(Math.max(id + 1, this.codeOfId.length * 2)).fill(UNSEEN);
      larger.set(this.codeOfId);
      this.codeOfId = larger;
    }
    const text = this.interner.name(id);
    const code = isMissingText(text) ? MISSING_CODE : this.dictionary.push(text) - 1;
    if (code >= this.counts.length) {
      const larger = new Uint32Array(this.counts.length * 2);
      larger.set(this.counts);
      this.counts = larger;
    }
    this.codeOfId[id] = code;
    return code;
  }
}

/**
 * The first `rows` entries. Doubling leaves at most half the capacity unused; a view keeps small slack without a
 * copy, while a copy gives larger slack back.
 */
function fitted<T extends Float64Array | Int32Array>(array: T, rows: number): T {
  return (array.length - rows) * 8 <= array.length
    ? (array.subarray(0, rows) as T)
    : (array.slice(0, rows) as T);
}

export type ColumnBuilder = NumericBuilder | CategoricalBuilder;
