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
    const delimiter = this.delimiter;
    let field = 0;
    let lineBreaks = 0;
    for (;;) {
      if (field === maxFields) {
        throw new DataError(this.path, `has more fields than the header's ${maxFields}`, { line });
      }
      if (field === this.starts.length) this.grow();
      let next: number;
      if (pos < end && buf[pos] === QUOTE) {
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
          if (byte === LF) lineBreaks++;
          p++;
        }
        this.starts[field] = pos + 1;
        this.ends[field] = p;
        this.escaped[field] = escaped;
        next = p + 1;
        if (next < end && buf[next] !== delimiter && buf[next] !== LF) {
          if (buf[next] !== CR) {
            throw new DataError(
              this.path,
              `has text after a closing quote; inside quotes write a quote as "" (e.g. "say ""hi""")`,
              { line: line + lineBreaks },
            );
          }
          if (next + 1 >= end && !atEnd) return NEEDS_MORE_BYTES;
          if (next + 1 < end && buf[next + 1] !== LF) {
            throw new DataError(this.path, 'has a carriage return after a closing quote', {
              line: line + lineBreaks,
            });
          }
          next++;
        }
      } else {
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
        next = p;
      }
      if (next < end && buf[next] === delimiter) {
        pos = next + 1;
        field++;
        continue;
      }
      this.fieldCount = field + 1;
      this.innerLineBreaks = lineBreaks;
      return next < end ? next + 1 : next;
    }
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
  const delimiterByte = delimiter.charCodeAt(0);
  const scanner = new RecordScanner(path, delimiterByte);
  const fieldOf = new Int32Array(columns.length).fill(-1);
  const row = new DelimitedRow(path, scanner, columns, fieldOf);
  let header: string[] | undefined;
  let shortcut: RecordShortcut | undefined;
  let line = 1;
  let rows = 0;

  const acceptHeader = (buf: Buffer) => {
    header = Array.from({ length: scanner.fieldCount }, (_, field) => scanner.text(buf, field));
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
    shortcut = makeShortcut?.({ delimiter: delimiterByte, fieldCount: header.length, fieldOf });
  };

  const readChunk = (buf: Buffer, start: number, end: number, atEnd: boolean): number => {
    let pos = start;
    if (header === undefined && pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    row.buffer = buf;
    while (pos < end) {
      if (header !== undefined && rows === limit) return STOP_READING;
      if (shortcut !== undefined) {
        const next = shortcut.take(buf, pos, end);
        if (next !== DECLINED) {
          rows++;
          line++;
          pos = next;
          continue;
        }
      }
      // A record that may be skipped is scanned whole, so the next one starts where it should.
      const maxFields =
        header === undefined || onBadRecord !== undefined ? Number.MAX_SAFE_INTEGER : header.length;
      const next = scanner.scan(buf, pos, end, atEnd, line, maxFields);
      if (next === NEEDS_MORE_BYTES) return pos;
      const blank = scanner.fieldCount === 1 && scanner.starts[0] === scanner.ends[0] && buf[pos] !== QUOTE;
      if (!blank) {
        if (header === undefined) acceptHeader(buf);
        else if (scanner.fieldCount !== header.length) {
          const problem = new DataError(
            path,
            `has ${scanner.fieldCount} fields where the header has ${header.length}`,
            { line },
          );
          if (onBadRecord === undefined) throw problem;
          onBadRecord(problem);
        } else {
          row.line = line;
          visit(row);
          rows++;
        }
      }
      line += 1 + scanner.innerLineBreaks;
      pos = next;
    }
    return pos;
  };
  await scanChunks(path, chunkBytes, (buf, start, end, atEnd) => {
    const next = readChunk(buf, start, end, atEnd);
    // Records the shortcut took may still point into the buffer, whose bytes the next read replaces.
    shortcut?.finish(buf);
    return next;
  });
  if (header === undefined)
    throw new DataError(path, 'is empty; expected a header row (e.g. user,item,score)');
  return { rows, columns: header };
}
