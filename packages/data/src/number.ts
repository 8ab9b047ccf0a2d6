/** Exact powers of ten: every 10^n with n <= 22 is representable, so m / 10^n rounds once, correctly. */
const POW10 = Array.from({ length: 23 }, (_, n) => 10 ** n);
const MAX_FAST_DIGITS = 15; // below 2^53, so the integer mantissa is exact

const ZERO = 0x30;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;

/** {@link scanDecimal}'s answer when no plain decimal starts where it looked. */
export const NOT_A_PLAIN_DECIMAL = -1;

/**
 * Reads the plain decimal (`-12.5`, `3`, `.25`: optional sign, digits, optional fraction, at most 15 digits) that
 * starts `bytes[start, limit)`, puts it in `out[at]` and returns where it stops: the first byte that cannot
 * continue it. Returns {@link NOT_A_PLAIN_DECIMAL} when there is none, or when it has too many digits to be parsed
 * exactly this way. Stopping instead of requiring the whole range lets a reader parse a field while looking for its
 * end.
 */
export function scanDecimal(
  bytes: Uint8Array,
  start: number,
  limit: number,
  out: Float64Array,
  at: number,
): number {
  // Bytes are read only below `limit`: a read past a buffer's end, even once, makes V8 compile every read here to
  // allow for it, which slows them all.
  let p = start;
  let negative = false;
  if (p < limit && (bytes[p] === MINUS || bytes[p] === PLUS)) {
    negative = bytes[p] === MINUS;
    p++;
  }
  let mantissa = 0;
  const integerStart = p;
  for (; p < limit; p++) {
    const digit = (bytes[p] as number) - ZERO;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
  }
  let digits = p - integerStart;
  let fractionDigits = 0;
  if (p < limit && bytes[p] === DOT) {
    const fractionStart = ++p;
    for (; p < limit; p++) {
      const digit = (bytes[p] as number) - ZERO;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
    }
    fractionDigits = p - fractionStart;
    digits += fractionDigits;
  }
  if (digits === 0 || digits > MAX_FAST_DIGITS) return NOT_A_PLAIN_DECIMAL;
  const magnitude = fractionDigits === 0 ? mantissa : mantissa / (POW10[fractionDigits] as number);
  // Into a typed array, not an object's field: V8 boxed every double stored in `{ value }` as a new heap number,
  // one object per value read (about 12 bytes each; 234 MiB of garbage for a 1 M-row drift check).
  out[at] = negative ? -magnitude : magnitude;
  return p;
}

const scanned = new Float64Array(1);

/**
 * Parses a plain decimal (see {@link scanDecimal}) filling `bytes[start, end)`, or returns undefined so the caller
 * can fall back to {@link parseDecimalText}. Avoiding the string keeps the per-row cost of score columns low.
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  return scanDecimal(bytes, start, end, scanned, 0) === end ? scanned[0] : undefined;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a finite decimal number, allowing surrounding spaces and an exponent. Unlike `Number()` it rejects '',
 * hexadecimal, 'Infinity' and 'NaN', which in a data file are almost always a mistake.
 */
export function parseDecimalText(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
