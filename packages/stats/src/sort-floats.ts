// Radix sort for Float64Array, because the builtin comparison sort is the largest single cost of profiling a
// million-row numeric column. The order is exactly `Float64Array.prototype.sort()`'s: -0 before +0, ±Infinity
// at the ends, NaN last.

/**
 * Below this length the builtin sort wins (the radix passes clear and prefix-sum their counters whatever the
 * input size). Under Node 24 the two cross near 1 000 values.
 */
const RADIX_SORT_MIN_LENGTH = 1_024;

/**
 * The key's 64 bits as six digits of at most 11 bits, least significant first: [word (0 low, 1 high), shift,
 * width]. Six passes over 2048 counters each beat four over 65536 from a few thousand values up to millions: the
 * counters stay in the L1 cache, and the scatter writes to few places at once.
 */
const DIGITS: readonly (readonly [number, number, number])[] = [
  [0, 0, 11],
  [0, 11, 11],
  [0, 22, 10],
  [1, 0, 11],
  [1, 11, 11],
  [1, 22, 10],
];
const DIGIT_COUNT = 1 << 11;
/**
 * The counters of every digit, shared by all sorts of this thread (each sort runs to its end without yielding): a
 * sketch sorts a 16 Ki-value chunk thousands of times, and 48 KiB of counters each time were garbage enough to
 * raise a 10 M-row check's peak memory by about 15 MiB.
 */
const DIGIT_COUNTS = new Uint32Array(DIGITS.length * DIGIT_COUNT);
const SIGN_BIT = 1 << 31;

/** The low word of each double comes first in memory; elsewhere the builtin sort is used. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Long inputs are split in place until each part is at most this fraction of the input (or
 * {@link UNSPLIT_LENGTH}), then each part is radix sorted through one scratch array of that size, instead of one
 * as large as the input.
 */
const PARTS = 6;
/** Inputs up to this length are not split: their scratch is at most 512 KiB. */
const UNSPLIT_LENGTH = 1 << 16;
/** Keys a pivot is the median of. */
const PIVOT_SAMPLE = 31;

/**
 * Sorts `values` in place, into the same order as `values.sort()`, and returns it. Every NaN ends up last, as
 * with the builtin; the relative order of NaNs with different bit patterns is unspecified for both.
 *
 * An LSD radix sort scatters into a second array as large as its input. For a million-value column that was
 * another 8 MB per sort, which also raised glibc's mmap threshold when freed, so later buffers stayed in the heap:
 * about 20 MiB of peak memory in a drift check whose two threads sort at once. Splitting the input in place
 * around sampled pivots first (Hoare partitions, one sequential pass per level) keeps the scratch to a sixth of
 * the input for the cost of about three more passes.
 */
export function sortFloat64InPlace(values: Float64Array): Float64Array {
  const length = values.length;
  if (length < RADIX_SORT_MIN_LENGTH || !LITTLE_ENDIAN) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * length);
  toOrderedKeys(words);
  const scratch = new Uint32Array(2 * Math.max(Math.ceil(length / PARTS), Math.min(length, UNSPLIT_LENGTH)));
  sortKeys(words, scratch, DIGIT_COUNTS);
  fromOrderedKeys(words, words);
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
 * Partitions deeper than this happen only on data laid out against the strided pivot sample; such a part is radix
 * sorted through a scratch array of its own size instead, which bounds the recursion.
 */
const MAX_PARTITION_DEPTH = 32;

/** Sorts 64-bit keys in place (element `i` is `keys[2i]` low, `keys[2i + 1]` high). */
function sortKeys(keys: Uint32Array, scratch: Uint32Array, counts: Uint32Array, depth = 0): void {
  if (keys.length <= scratch.length) radixSortKeys(keys, scratch, counts);
  else if (depth === MAX_PARTITION_DEPTH) radixSortKeys(keys, new Uint32Array(keys.length), counts);
  else {
    const split = 2 * partitionKeys(keys);
    sortKeys(keys.subarray(0, split), scratch, counts, depth + 1);
    sortKeys(keys.subarray(split), scratch, counts, depth + 1);
  }
}

/**
 * LSD radix passes over the keys' digits, alternating between `keys` and `scratch`; `counts` holds every digit's
 * counters, all counted in one pass first. A digit whose values are all the same would not change the order and is
 * skipped: integers and short dyadic fractions share their low mantissa digits, and the keys of one part of a
 * partition often share their top digits.
 */
function radixSortKeys(keys: Uint32Array, scratch: Uint32Array, counts: Uint32Array): void {
  countDigits(keys, counts);
  let source = keys;
  let target = scratch.subarray(0, keys.length);
  for (const [digit, [word, shift, width]] of DIGITS.entries()) {
    const offset = digit * DIGIT_COUNT;
    if (!startsFromCounts(counts, offset, 1 << width, keys.length / 2)) continue;
    scatterByDigit(source, target, counts, offset, word, shift, (1 << width) - 1);
    [source, target] = [target, source];
  }
  if (source !== keys) keys.set(source);
}

/** The counters of every digit of the keys, digit d's at `counts[d · DIGIT_COUNT ...]`. */
function countDigits(keys: Uint32Array, counts: Uint32Array): void {
  counts.fill(0);
  for (let i = 0; i < keys.length; i += 2) {
    const low = keys[i] as number;
    const high = keys[i + 1] as number;
    countOne(counts, low & 0x7ff);
    countOne(counts, DIGIT_COUNT + ((low >>> 11) & 0x7ff));
    countOne(counts, 2 * DIGIT_COUNT + (low >>> 22));
    countOne(counts, 3 * DIGIT_COUNT + (high & 0x7ff));
    countOne(counts, 4 * DIGIT_COUNT + ((high >>> 11) & 0x7ff));
    countOne(counts, 5 * DIGIT_COUNT + (high >>> 22));
  }
}

function countOne(counts: Uint32Array, bucket: number): void {
  counts[bucket] = (counts[bucket] as number) + 1;
}

/**
 * Turns one digit's counters into where each bucket starts; false (counters left as they are) when one bucket
 * holds all `keyCount` keys, as a pass on that digit would not move anything.
 */
function startsFromCounts(counts: Uint32Array, offset: number, buckets: number, keyCount: number): boolean {
  let start = 0;
  for (let bucket = offset; bucket < offset + buckets; bucket++) {
    const count = counts[bucket] as number;
    if (count === keyCount) return false;
    counts[bucket] = start;
    start += count;
  }
  return true;
}

/** Whether key (aHigh, aLow) is below key (bHigh, bLow), as unsigned 64-bit integers. */
function keyBelow(aHigh: number, aLow: number, bHigh: number, bLow: number): boolean {
  return aHigh < bHigh || (aHigh === bHigh && aLow < bLow);
}

/**
 * Reorders the keys so that the first `split` are at most a pivot and the rest at least it (Hoare's scheme), and
 * returns `split`. The pivot is the median of 31 keys sampled at even strides, so the sides are about equal. Both
 * are non-empty: the scans stop at keys equal to the pivot, so the right side could only come out empty if every
 * key but the last were below the pivot, while 16 of the sampled keys, at distinct positions, are not below it.
 */
function partitionKeys(keys: Uint32Array): number {
  const [pivotHigh, pivotLow] = samplePivot(keys);
  let i = -2;
  let j = keys.length;
  for (;;) {
    do i += 2;
    while (keyBelow(keys[i + 1] as number, keys[i] as number, pivotHigh, pivotLow));
    do j -= 2;
    while (keyBelow(pivotHigh, pivotLow, keys[j + 1] as number, keys[j] as number));
    if (i >= j) return j / 2 + 1;
    swapKeys(keys, i, j);
  }
}

/** The median of keys sampled at even strides across the range, as its high and low words. */
function samplePivot(keys: Uint32Array): [number, number] {
  const sample = new Uint32Array(2 * PIVOT_SAMPLE);
  const stride = keys.length / 2 / PIVOT_SAMPLE;
  for (let k = 0; k < PIVOT_SAMPLE; k++) {
    const at = 2 * Math.floor(k * stride);
    sample[2 * k] = keys[at] as number;
    sample[2 * k + 1] = keys[at + 1] as number;
  }
  // The sample is small: an insertion sort is plenty.
  for (let i = 2; i < sample.length; i += 2) {
    for (
      let j = i;
      j > 0 &&
      keyBelow(
        sample[j + 1] as number,
        sample[j] as number,
        sample[j - 1] as number,
        sample[j - 2] as number,
      );
      j -= 2
    ) {
      swapKeys(sample, j, j - 2);
    }
  }
  const median = 2 * Math.floor(PIVOT_SAMPLE / 2);
  return [sample[median + 1] as number, sample[median] as number];
}

function swapKeys(keys: Uint32Array, a: number, b: number): void {
  const low = keys[a] as number;
  const high = keys[a + 1] as number;
  keys[a] = keys[b] as number;
  keys[a + 1] = keys[b + 1] as number;
  keys[b] = low;
  keys[b + 1] = high;
}

/**
 * Rewrites each double (low word, high word) as a 64-bit unsigned key whose integer order is the sort order:
 * negatives have all bits flipped, so larger magnitudes become smaller keys; non-negatives get the sign bit set,
 * which puts them above every negative. -0 lands just below +0.
 */
function toOrderedKeys(words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const high = words[i + 1] as number;
    const negativeMask = high >> 31;
    words[i] = (words[i] as number) ^ negativeMask;
    words[i + 1] = high ^ (negativeMask | SIGN_BIT);
  }
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

/** One stable pass on a digit of the keys in `source`, into `target`, from the digit's bucket starts. */
function scatterByDigit(
  source: Uint32Array,
  target: Uint32Array,
  starts: Uint32Array,
  offset: number,
  word: number,
  shift: number,
  mask: number,
): void {
  for (let i = 0; i < source.length; i += 2) {
    const low = source[i] as number;
    const high = source[i + 1] as number;
    const bucket = offset + (((word === 0 ? low : high) >>> shift) & mask);
    const slot = starts[bucket] as number;
    starts[bucket] = slot + 1;
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
