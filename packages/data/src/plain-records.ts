import { DECLINED } from './delimited';
import { NOT_A_PLAIN_DECIMAL, scanDecimal } from './number';
import { HASH_SEED, hashByte } from './text-interner';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * Reads a CSV/TSV record in the same walk that finds where its fields end: a numeric field is parsed and a text
 * field hashed as its bytes go by, so each byte is looked at once instead of once by the general scanner and
 * again by the parser or the interner. It takes only records that need none of the general path's care: one line
 * ending in LF within the bytes at hand, no quoted field, no CR before the LF, the header's field count, every
 * numeric field a plain decimal (see {@link scanDecimal}). Anything else it declines, so missing-value texts,
 * exponents, retyping and bad-row errors keep the general path's exact behaviour.
 */
export class PlainRecordScanner {
  // Fields are `declare`d and set in the constructor: a field the class body defines starts out undefined, after
  // which V8 no longer trusts it to hold a typed array; that cost ~5% of a whole read.
  /** Per field of the record last taken: the value of a numeric field. */
  declare readonly numbers: Float64Array;
  /** Per field of the record last taken: where a text field's bytes start and end, and their hash. */
  declare readonly starts: Int32Array;
  declare readonly ends: Int32Array;
  declare readonly hashes: Int32Array;
  declare private readonly delimiter: number;
  declare private readonly numeric: Uint8Array;

  /**
   * `numeric[field]` is 1 for each field of the header that is parsed as a number. The others are walked as text
   * and hashed, unread ones too: hashing their few bytes costs less than a second loop to tell them apart.
   */
  constructor(delimiter: number, numeric: Uint8Array) {
    this.delimiter = delimiter;
    this.numeric = numeric;
    this.numbers = new Float64Array(numeric.length);
    this.starts = new Int32Array(numeric.length);
    this.ends = new Int32Array(numeric.length);
    this.hashes = new Int32Array(numeric.length);
  }

  /**
   * Reads the record at `pos` into the per-field arrays and returns the position after its LF, or DECLINED. A
   * declined record may have overwritten some fields, which matters to no one: they are read only after a take.
   */
  scan(buf: Buffer, pos: number, end: number): number {
    // A blank line is for the general path to skip.
    if (pos >= end || buf[pos] === LF) return DECLINED;
    const { delimiter, numeric } = this;
    const lastField = numeric.length - 1;
    let p = pos;
    for (let field = 0; ; field++) {
      if (numeric[field] === 1) {
        p = scanDecimal(buf, p, end, this.numbers, field);
        if (p === NOT_A_PLAIN_DECIMAL) return DECLINED;
      } else {
        // A quoted field may hold delimiters, line breaks and doubled quotes.
        if (p < end && buf[p] === QUOTE) return DECLINED;
        const start = p;
        let hash = HASH_SEED;
        for (; p < end; p++) {
          const byte = buf[p] as number;
          if (byte === delimiter || byte === LF) break;
          hash = hashByte(hash, byte);
        }
        this.starts[field] = start;
        this.ends[field] = p;
        this.hashes[field] = hash;
      }
      // The record may go on in bytes not read yet.
      if (p >= end) return DECLINED;
      if (field === lastField) {
        // A delimiter here means more fields than the header has; a CR means a CRLF line end.
        return buf[p] === LF && buf[p - 1] !== CR ? p + 1 : DECLINED;
      }
      // A line break here means fewer fields than the header has; anything else, a number followed by more.
      if (buf[p] !== delimiter) return DECLINED;
      p++;
    }
  }
}
