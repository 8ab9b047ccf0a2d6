import { DataError } from '@recsys-actions/core';
import {
  NEEDS_CATEGORICAL,
  NOT_A_NUMBER,
  NumericBuilder,
  type CategoricalBuilder,
  type ColumnBuilder,
} from './columns';
import { preview, type Row } from './row';

/**
 * Streaming: every `rows` rows (and at the end of each Parquet file and of the read) the numeric columns' values
 * so far go to `onChunk`, one array per numeric column in column order, valid only during the call; the builders
 * then reuse their arrays, so memory stays at `rows` per column. `onRestart` is called when the read starts over
 * (a column guessed numeric met text): everything handed on so far is void.
 */
export interface TableChunks {
  readonly rows: number;
  onChunk(numericValues: readonly Float64Array[]): void;
  onRestart(): void;
}

/** Thrown inside a read when a column guessed numeric meets text: the read restarts with it categorical. */
export class RetypeColumn {
  constructor(readonly column: string) {}
}

const FIRST_RESERVATION = 1024;

/**
 * Appends rows to a table's column builders: from a {@link Row} here, or straight from plain CSV/TSV records
 * through a PlainRecordWriter. A row is written whole or not at all: categorical builders count what they are
 * given, so a rejected row must give them nothing.
 */
export class TableWriter {
  /** Rows counted so far, over all files. */
  rows = 0;
  /** Rows already handed to {@link TableChunks.onChunk}: the builders hold rows from here on, from index 0. */
  private flushed = 0;
  // Each type's builders and their positions among all columns, as parallel arrays walked with indexed loops:
  // destructuring a [position, builder] pair per field shows in profiles.
  readonly numericAt: number[] = [];
  readonly numeric: NumericBuilder[] = [];
  readonly categoricalAt: number[] = [];
  readonly categorical: CategoricalBuilder[] = [];
  /** Rows every builder has room for; never more than their capacity, so it holds across files. */
  private reserved = 0;
  private expectedRows = 0;

  constructor(
    readonly builders: readonly ColumnBuilder[],
    private readonly chunks?: TableChunks,
  ) {
    for (const [position, builder] of builders.entries()) {
      if (builder instanceof NumericBuilder) {
        this.numericAt.push(position);
        this.numeric.push(builder);
      } else {
        this.categoricalAt.push(position);
        this.categorical.push(builder);
      }
    }
  }

  /** Announces a text file likely holding `rows` records (0 when unknown), so columns grow to fit it at once. */
  expectFile(rows: number): void {
    this.expectedRows = this.rows + rows;
  }

  /**
   * Writes `row` after the rows so far, or reports it to `badRow` and writes nothing. Numeric columns go first,
   * so a bad number rejects the row before any of its texts enters a dictionary.
   */
  writeRow(row: Row, path: string, badRow: (problem: DataError) => void): void {
    const at = this.nextRow();
    for (let i = 0; i < this.numeric.length; i++) {
      const position = this.numericAt[i] as number;
      const builder = this.numeric[i] as NumericBuilder;
      if (!row.has(position)) {
        builder.setMissing(at);
        continue;
      }
      const value = row.tryNumber(position);
      if (value !== undefined) {
        builder.setNumber(at, value);
        continue;
      }
      const text = row.text(position);
      const fit = builder.setText(at, text);
      if (fit === NEEDS_CATEGORICAL) throw new RetypeColumn(builder.name);
      if (fit === NOT_A_NUMBER) {
        badRow(
          new DataError(path, `has '${preview(text)}' where a number is required (e.g. 0.25)`, {
            line: row.line,
            column: builder.name,
          }),
        );
        return;
      }
    }
    for (let i = 0; i < this.categorical.length; i++) {
      const position = this.categoricalAt[i] as number;
      const builder = this.categorical[i] as CategoricalBuilder;
      if (row.has(position)) builder.setInterned(at, row.intern(position, builder.interner));
      else builder.setMissing(at);
    }
    this.rows++;
  }

  /** Counts a row whose values the caller writes at the index returned, with room reserved for it. */
  addRow(): number {
    const at = this.nextRow();
    this.rows++;
    return at;
  }

  /** Rows the builders hold (not yet handed on as a chunk). */
  get buffered(): number {
    return this.rows - this.flushed;
  }

  /** The builders' index for the next row, with room for it; a full chunk is handed on first. */
  private nextRow(): number {
    let at = this.rows - this.flushed;
    if (this.chunks !== undefined && at >= this.chunks.rows) {
      this.flush();
      at = 0;
    }
    this.makeRoom(at);
    return at;
  }

  /** Hands the numeric values buffered to {@link TableChunks.onChunk}; the builders then start over at index 0. */
  flush(): void {
    if (this.chunks === undefined || this.buffered === 0) return;
    const rows = this.buffered;
    this.chunks.onChunk(this.numeric.map((builder) => builder.view(rows)));
    this.flushed = this.rows;
  }

  private makeRoom(row: number): void {
    // The check alone stays in callers' optimized code: with the growth inlined too, V8's inlining budget ran out
    // before the plain-record scanner's number parser, which then cost a call per field.
    if (row >= this.reserved) this.reserveBeyond(row);
  }

  private reserveBeyond(row: number): void {
    // The estimate is taken only past the first rows, which is where a column's type usually turns out wrong and
    // the read restarts: reserving it up front would allocate full columns once per restart.
    const estimate = Math.max(this.expectedRows - this.flushed, this.reserved * 2);
    const wanted =
      this.reserved === 0 ? FIRST_RESERVATION : Math.min(estimate, this.chunks?.rows ?? Infinity);
    // Parquet files append rows without passing here, so `row` may be past any reservation made so far.
    this.reserved = Math.max(wanted, row + 1);
    for (const builder of this.builders) builder.reserve(this.reserved);
  }
}
