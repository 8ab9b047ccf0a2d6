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
 * Long inputs are split in place until each part is at most this fraction of the input, then each part is radix
 * sorted through one scratch array of that size, instead of one as large as the input.
 */
const PARTS = 6;
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
  const scratch = new Uint32Array(2 * Math.ceil(length / PARTS));
  sortKeys(words, scratch, new Uint32Array(DIGIT_COUNT));
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

/** LSD radix passes over the keys' differing digits, alternating between `keys` and `scratch`. */
function radixSortKeys(keys: Uint32Array, scratch: Uint32Array, counts: Uint32Array): void {
  const differingBitsByDigit = differingDigits(keys);
  let source = keys;
  let target = scratch.subarray(0, keys.length);
  for (let digit = 0; digit < 4; digit++) {
    if (differingBitsByDigit[digit] === 0) continue;
    scatterByDigit(source, target, counts, digit);
    [source, target] = [target, source];
  }
  if (source !== keys) keys.set(source);
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

/**
 * For each 16-bit digit of the keys (least significant first), the bits in which they are not all the same. A
 * pass on a digit without such bits would not change the order. Integers and short dyadic fractions have
 * constant low mantissa digits, and the keys of one part of a partition often share their top digits, so their
 * sorts skip those passes.
 */
function differingDigits(keys: Uint32Array): readonly number[] {
  let anyLow = 0;
  let allLow = -1;
  let anyHigh = 0;
  let allHigh = -1;
  for (let i = 0; i < keys.length; i += 2) {
    const low = keys[i] as number;
    const high = keys[i + 1] as number;
    anyLow |= low;
    allLow &= low;
    anyHigh |= high;
    allHigh &= high;
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
