// Radix sort for Float64Array, because the builtin comparison sort is the largest single cost of profiling a
// million-row numeric column. The order is exactly `Float64Array.prototype.sort()`'s: -0 before +0, ±Infinity
// at the ends, NaN last.

/**
 * Below this length the builtin sort wins: each radix pass clears and prefix-sums 65536 counters whatever the
 * input size. Under Node 24 the two cross near 8 K values.
 */
const RADIX_SORT_MIN_LENGTH = 8_000;

const DIGIT_BITS = 16;
const DIGIT_COUNT = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGIT_COUNT - 1;
const SIGN_BIT = 1 << 31;

/** The low word of each double comes first in memory; elsewhere the builtin sort is used. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Sorts `values` in place, into the same order as `values.sort()`, and returns it. Every NaN ends up last, as
 * with the builtin; the relative order of NaNs with different bit patterns is unspecified for both. Large inputs
 * need a temporary array of the same byte size.
 */
export function sortFloat64InPlace(values: Float64Array): Float64Array {
  const length = values.length;
  if (length < RADIX_SORT_MIN_LENGTH || !LITTLE_ENDIAN) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * length);
  const differingBitsByDigit = toOrderedKeys(words);
  // LSD radix passes scatter each element to a slot computed from the counts, so they cannot write into the
  // array they are still reading: the passes alternate between the caller's buffer and this scratch one.
  const scratch = new Uint32Array(2 * length);
  let source: Uint32Array = words;
  let target: Uint32Array = scratch;
  const counts = new Uint32Array(DIGIT_COUNT);
  for (let digit = 0; digit < 4; digit++) {
    if (differingBitsByDigit[digit] === 0) continue;
    scatterByDigit(source, target, counts, digit);
    [source, target] = [target, source];
  }
  fromOrderedKeys(source, words);
  moveLeadingNaNsToEnd(values);
  free(scratch.buffer);
  return values;
}

/**
 * Gives a scratch buffer's memory back now. Left to the garbage collector, which weighs external memory only
 * after tens of MiB pile up, the scratch buffers of a table's columns sorted in a row add up to several columns'
 * worth of peak memory. `transfer(0)` (Node 21+) detaches the buffer and frees its memory at once; on Node 20 it
 * is left to the collector.
 */
function free(buffer: ArrayBuffer): void {
  (buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }).transfer?.(0);
}

/**
 * Rewrites each double (low word, high word) as a 64-bit unsigned key whose integer order is the sort order:
 * negatives have all bits flipped, so larger magnitudes become smaller keys; non-negatives get the sign bit set,
 * which puts them above every negative. -0 lands just below +0.
 *
 * Returns, for each 16-bit digit (least significant first), the bits in which the original doubles are not all
 * the same. A pass on a digit without such bits would not change the order, even though the flip makes the
 * digit differ between signs: values that tie on the higher digits share a sign, so they tie on this one too.
 * Integers and short dyadic fractions have constant low mantissa digits, so their sort skips those passes.
 */
function toOrderedKeys(words: Uint32Array): readonly number[] {
  let anyLow = 0;
  let allLow = -1;
  let anyHigh = 0;
  let allHigh = -1;
  for (let i = 0; i < words.length; i += 2) {
    const low = words[i] as number;
    const high = words[i + 1] as number;
    anyLow |= low;
    allLow &= low;
    anyHigh |= high;
    allHigh &= high;
    const negativeMask = high >> 31;
    words[i] = low ^ negativeMask;
    words[i + 1] = high ^ (negativeMask | SIGN_BIT);
  }
  const differingLow = anyLow ^ allLow;
  const differingHigh = anyHigh ^ allHigh;
  return [
    differingLow & DIGIT_MASK,
    differingLow >>> DIGIT_BITS,
    differingHigh & DIGIT_MASK,
    differingHigh >>> DIGIT_BITS,
  ];
}

/** The inverse of `toOrderedKeys`, from `keys` into `words` (which may be the same array). */
function fromOrderedKeys(keys: Uint32Array, words: Uint32Array): void {
  for (let i = 0; i < keys.length; i += 2) {
    const high = keys[i + 1] as number;
    const wasNegativeMask = ~(high >> 31);
    words[i] = (keys[i] as number) ^ wasNegativeMask;
    words[i + 1] = high ^ (wasNegativeMask | SIGN_BIT);
  }
}

/** One stable counting pass on 16-bit digit `digit` (0 = least significant) of the keys in `source`, into `target`. */
function scatterByDigit(source: Uint32Array, target: Uint32Array, counts: Uint32Array, digit: number): void {
  const wordOffset = digit >> 1;
  const shift = (digit & 1) * DIGIT_BITS;
  counts.fill(0);
  for (let i = wordOffset; i < source.length; i += 2) {
    const bucket = ((source[i] as number) >>> shift) & DIGIT_MASK;
    counts[bucket] = (counts[bucket] as number) + 1;
  }
  let start = 0;
  for (let bucket = 0; bucket < DIGIT_COUNT; bucket++) {
    const count = counts[bucket] as number;
    counts[bucket] = start;
    start += count;
  }
  for (let i = 0; i < source.length; i += 2) {
    const low = source[i] as number;
    const high = source[i + 1] as number;
    const bucket = ((wordOffset === 0 ? low : high) >>> shift) & DIGIT_MASK;
    const slot = counts[bucket] as number;
    counts[bucket] = slot + 1;
    target[2 * slot] = low;
    target[2 * slot + 1] = high;
  }
}

/**
 * A NaN with the sign bit set gets a key below -Infinity's, so the radix passes leave those at the front while
 * the builtin puts every NaN last. Moved by byte copies, which keep their bit patterns.
 */
function moveLeadingNaNsToEnd(values: Float64Array): void {
  let leading = 0;
  while (leading < values.length && Number.isNaN(values[leading])) leading++;
  if (leading === 0) return;
  const nans = values.slice(0, leading);
  values.copyWithin(0, leading);
  values.set(nans, values.length - leading);
}
