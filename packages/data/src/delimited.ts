import { DataError } from '@recsys-actions/core';
import { scanChunks, STOP_READING } from './chunks';
import { parseDecimalBytes, parseDecimalText } from './number';
import type { NormalizedColumn, ReadSummary, Row, RowVisitor } from './row';
import type { TextInterner } from './text-interner';
import { preview } from './row';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const NEEDS_MORE_BYTES = -1;

/** What {@link RecordShortcut.take} returns to leave a record to the general path. */
export const DECLINED = -1;

/** Reads records straight from the file's bytes, without the scanner and the {@link Row}, when it can. */
export interface RecordShortcut {
  /**
   * Takes the record at `pos` and returns the position after it; or returns {@link DECLINED}, so the general path
   * reads the record with all its rules. A record it takes must be one line ending in LF with the header's field
   * count: it counts as one row and one line. Before declining it must finish the records it took, since the
   * general path then writes the next row.
   */
  take(buf: Buffer, pos: number, end: number): number;
  /** Finishes the records taken so far, which may still point into `buf`: its bytes are about to be replaced. */
  finish(buf: Buffer): void;
}

/** What a {@link RecordShortcut} needs to know of a file, known once its header is read. */
export interface RecordLayout {
  readonly delimiter: number;
  /** Fields in the header, so in every well-formed record. */
  readonly fieldCount: number;
  /** `fieldOf[column]`: the header position of each requested column, -1 when the file lacks it. */
  readonly fieldOf: Int32Array;
}

export type RecordShortcutFactory = (layout: RecordLayout) => RecordShortcut;

/** Splits records into fields by RFC 4180 rules, writing field boundaries into reusable arrays. */
class RecordScanner {
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  /** 1 when a quoted field contains doubled quotes, so its text needs unescaping. */
  escaped = new Uint8Array(16);
  fieldCount = 0;
  /** Line breaks inside quoted fields of the last record, so line numbers stay true. */
  innerLineBreaks = 0;

  constructor(
    private readonly path: string,
    private readonly delimiter: number,
  ) {}

  /**
   * Scans the record starting at `pos` and returns the position after its terminator, or NEEDS_MORE_BYTES when
   * the record might continue past `end`. `maxFields` stops early on records longer than the header.
   */
  scan(buf: Buffer, pos: number, end: number, atEnd: boolean, line: number, maxFields: number): number {
    let field = 0;
    this.innerLineBreaks = 0;
    for (;;) {
      if (field === maxFields) {
        throw new DataError(this.path, `has more fields than the header's ${maxFields}`, { line });
      }
      if (field === this.starts.length) this.grow();
      const next =
        pos < end && buf[pos] === QUOTE
          ? this.scanQuoted(buf, pos, end, atEnd, line, field)
          : this.scanPlain(buf, pos, end, atEnd, field);
      if (next === NEEDS_MORE_BYTES) return NEEDS_MORE_BYTES;
      if (next < end && buf[next] === this.delimiter) {
        pos = next + 1;
        field++;
        continue;
      }
      this.fieldCount = field + 1;
      return next < end ? next + 1 : next;
    }
  }

  /** An unquoted field at `pos`: returns the position of its delimiter or line end, or NEEDS_MORE_BYTES. */
  private scanPlain(buf: Buffer, pos: number, end: number, atEnd: boolean, field: number): number {
    const delimiter = this.delimiter;
    let p = pos;
    while (p < end) {
      const byte = buf[p];
      if (byte === delimiter || byte === LF) break;
      p++;
    }
    if (p >= end && !atEnd) return NEEDS_MORE_BYTES;
    this.starts[field] = pos;
    this.ends[field] = p > pos && buf[p - 1] === CR && (p >= end || buf[p] === LF) ? p - 1 : p;
    this.escaped[field] = 0;
    return p;
  }

  /**
   * A quoted field opening at `pos`: returns the position after its closing quote (and a CR before LF), or
   * NEEDS_MORE_BYTES. Line breaks inside it are added to innerLineBreaks.
   */
  private scanQuoted(
    buf: Buffer,
    pos: number,
    end: number,
    atEnd: boolean,
    line: number,
    field: number,
  ): number {
    let p = pos + 1;
    let escaped = 0;
    for (;;) {
      if (p >= end) {
        if (atEnd) throw new DataError(this.path, 'has a quoted field that is never closed', { line });
        return NEEDS_MORE_BYTES;
      }
      const byte = buf[p];
      if (byte === QUOTE) {
        if (p + 1 >= end && !atEnd) return NEEDS_MORE_BYTES;
        if (p + 1 < end && buf[p + 1] === QUOTE) {
          escaped = 1;
          p += 2;
          continue;
        }
        break;
      }
      if (byte === LF) this.innerLineBreaks++;
      p++;
    }
    this.starts[field] = pos + 1;
    this.ends[field] = p;
    this.escaped[field] = escaped;
    const next = p + 1;
    if (next >= end || buf[next] === this.delimiter || buf[next] === LF) return next;
    if (buf[next] !== CR) {
      throw new DataError(
        this.path,
        `has text after a closing quote; inside quotes write a quote as "" (e.g. "say ""hi""")`,
        { line: line + this.innerLineBreaks },
      );
    }
    if (next + 1 >= end && !atEnd) return NEEDS_MORE_BYTES;
    if (next + 1 < end && buf[next + 1] !== LF) {
      throw new DataError(this.path, 'has a carriage return after a closing quote', {
        line: line + this.innerLineBreaks,
      });
    }
    return next + 1;
  }

  text(buf: Buffer, field: number): string {
    const raw = buf.toString('utf8', this.starts[field], this.ends[field]);
    return this.escaped[field] === 1 ? raw.replaceAll('""', '"') : raw;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const escaped = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    escaped.set(this.escaped);
    this.starts = starts;
    this.ends = ends;
    this.escaped = escaped;
  }
}

/** The Row handed to visitors of CSV/TSV files; `fieldOf[column]` is the header position, or -1 when absent. */
class DelimitedRow implements Row {
  buffer: Buffer = Buffer.alloc(0);
  line = 0;

  constructor(
    private readonly path: string,
    private readonly scanner: RecordScanner,
    private readonly columns: readonly NormalizedColumn[],
    private readonly fieldOf: Int32Array,
  ) {}

  has(column: number): boolean {
    return this.fieldOf[column] !== -1;
  }

  text(column: number): string {
    return this.scanner.text(this.buffer, this.field(column));
  }

  number(column: number): number {
    const value = this.tryNumber(column);
    if (value !== undefined) return value;
    const text = this.text(column);
    throw new DataError(
      this.path,
      text.trim() === ''
        ? 'has an empty value where a number is required (e.g. 0.25)'
        : `has '${preview(text)}' where a number is required (e.g. 0.25)`,
      { line: this.line, column: this.columns[column]?.name },
    );
  }

  tryNumber(column: number): number | undefined {
    const field = this.field(column);
    const scanner = this.scanner;
    const fast = parseDecimalBytes(
      this.buffer,
      scanner.starts[field] as number,
      scanner.ends[field] as number,
    );
    return fast ?? parseDecimalText(scanner.text(this.buffer, field));
  }

  textEquals(column: number, value: string): boolean {
    const field = this.field(column);
    const scanner = this.scanner;
    const start = scanner.starts[field] as number;
    const length = (scanner.ends[field] as number) - start;
    if (scanner.escaped[field] === 1 || length !== value.length) return this.text(column) === value;
    const buf = this.buffer;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      // Beyond ASCII, byte length and string length part ways; let the decoder decide.
      if (code >= 0x80) return this.text(column) === value;
      if (buf[start + i] !== code) return false;
    }
    return true;
  }

  intern(column: number, interner: TextInterner): number {
    const field = this.field(column);
    const scanner = this.scanner;
    if (scanner.escaped[field] === 1) return interner.intern(this.text(column));
    return interner.internBytes(this.buffer, scanner.starts[field] as number, scanner.ends[field] as number);
  }

  private field(column: number): number {
    const field = this.fieldOf[column];
    if (field === undefined || field === -1) {
      throw new Error(`column ${column} is not present in ${this.path}; check has() first`);
    }
    return field;
  }
}

/** Fills `fieldOf` with each requested column's position in the header; a missing required column is an error. */
function locateColumns(
  path: string,
  header: readonly string[],
  columns: readonly NormalizedColumn[],
  fieldOf: Int32Array,
): void {
  const position = new Map<string, number>();
  for (const [index, name] of header.entries()) {
    if (position.has(name))
      throw new DataError(path, `names column '${name}' twice in its header`, { line: 1 });
    position.set(name, index);
  }
  for (const [index, column] of columns.entries()) {
    const field = position.get(column.name);
    if (field !== undefined) fieldOf[index] = field;
    else if (!column.optional) {
      throw new DataError(path, `has no column '${column.name}' (its columns: ${header.join(', ')})`, {
        line: 1,
      });
    }
  }
}

/**
 * Reads a CSV or TSV file with a header row, RFC 4180 quoting (a field in double quotes may hold the delimiter,
 * line breaks and doubled quotes) and LF or CRLF line ends. Blank lines are skipped. A `shortcut` made once the
 * header is known is offered each record first.
 */
export async function readDelimited(
  path: string,
  delimiter: ',' | '\t',
  columns: readonly NormalizedColumn[],
  limit: number,
  chunkBytes: number,
  visit: RowVisitor,
  onBadRecord?: (problem: DataError) => void,
  makeShortcut?: RecordShortcutFactory,
): Promise<ReadSummary> {
  const reader = new DelimitedReader(
    path,
    delimiter.charCodeAt(0),
    columns,
    limit,
    visit,
    onBadRecord,
    makeShortcut,
  );
  await scanChunks(path, chunkBytes, (buf, start, end, atEnd) => {
    const next = reader.readChunk(buf, start, end, atEnd);
    // Records the shortcut took may still point into the buffer, whose bytes the next read replaces.
    reader.shortcut?.finish(buf);
    return next;
  });
  if (reader.header === undefined)
    throw new DataError(path, 'is empty; expected a header row (e.g. user,item,score)');
  return { rows: reader.rows, columns: reader.header };
}

/** The state of one read: the header once known, the shortcut it allows, and the line and row counts. */
class DelimitedReader {
  header: string[] | undefined;
  shortcut: RecordShortcut | undefined;
  rows = 0;
  private line = 1;
  private readonly scanner: RecordScanner;
  private readonly fieldOf: Int32Array;
  private readonly row: DelimitedRow;

  constructor(
    private readonly path: string,
    private readonly delimiter: number,
    private readonly columns: readonly NormalizedColumn[],
    private readonly limit: number,
    private readonly visit: RowVisitor,
    private readonly onBadRecord: ((problem: DataError) => void) | undefined,
    private readonly makeShortcut: RecordShortcutFactory | undefined,
  ) {
    this.scanner = new RecordScanner(path, delimiter);
    this.fieldOf = new Int32Array(columns.length).fill(-1);
    this.row = new DelimitedRow(path, this.scanner, columns, this.fieldOf);
  }

  /** Reads the whole records in `buf[start, end)` and returns where the first incomplete one starts. */
  readChunk(buf: Buffer, start: number, end: number, atEnd: boolean): number {
    const scanner = this.scanner;
    let pos = start;
    if (this.header === undefined && pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
      pos = 3;
    this.row.buffer = buf;
    while (pos < end) {
      if (this.header !== undefined && this.rows === this.limit) return STOP_READING;
      if (this.shortcut !== undefined) {
        const next = this.shortcut.take(buf, pos, end);
        if (next !== DECLINED) {
          this.rows++;
          this.line++;
          pos = next;
          continue;
        }
      }
      // A record that may be skipped is scanned whole, so the next one starts where it should.
      const maxFields =
        this.header === undefined || this.onBadRecord !== undefined
          ? Number.MAX_SAFE_INTEGER
          : this.header.length;
      const next = scanner.scan(buf, pos, end, atEnd, this.line, maxFields);
      if (next === NEEDS_MORE_BYTES) return pos;
      const blank = scanner.fieldCount === 1 && scanner.starts[0] === scanner.ends[0] && buf[pos] !== QUOTE;
      if (!blank) this.takeRecord(buf);
      this.line += 1 + scanner.innerLineBreaks;
      pos = next;
    }
    return pos;
  }

  /** The scanned record is the header, a bad record, or a row for the visitor. */
  private takeRecord(buf: Buffer): void {
    const fieldCount = this.scanner.fieldCount;
    if (this.header === undefined) {
      this.header = Array.from({ length: fieldCount }, (_, field) => this.scanner.text(buf, field));
      locateColumns(this.path, this.header, this.columns, this.fieldOf);
      const layout = { delimiter: this.delimiter, fieldCount, fieldOf: this.fieldOf };
      this.shortcut = this.makeShortcut?.(layout);
    } else if (fieldCount !== this.header.length) {
      const problem = new DataError(
        this.path,
        `has ${fieldCount} fields where the header has ${this.header.length}`,
        { line: this.line },
      );
      if (this.onBadRecord === undefined) throw problem;
      this.onBadRecord(problem);
    } else {
      this.row.line = this.line;
      this.visit(this.row);
      this.rows++;
    }
  }
}
