/** An append-only Int32Array that doubles its capacity, so millions of rows cost no per-row objects. */
export class Int32Column {
  data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const larger = new Int32Array(this.data.length * 2);
      larger.set(this.data);
      this.data = larger;
    }
    this.data[this.length++] = value;
  }
}

/** The Float64Array twin of {@link Int32Column}. */
export class Float64Column {
  data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const larger = new Float64Array(this.data.length * 2);
      larger.set(this.data);
      this.data = larger;
    }
    this.data[this.length++] = value;
  }
}

/** Positions that group rows by key, keeping file order inside a group (a stable counting sort). */
export interface Grouping {
  /** Rows of key `k` are `order[offsets[k] .. offsets[k + 1])`. */
  readonly offsets: Int32Array;
  readonly order: Int32Array;
}

export function groupBy(keys: Int32Array, rowCount: number, keyCount: number): Grouping {
  const offsets = new Int32Array(keyCount + 1);
  for (let row = 0; row < rowCount; row++) addAt(offsets, (keys[row] as number) + 1, 1);
  for (let key = 0; key < keyCount; key++) addAt(offsets, key + 1, offsets[key] as number);
  const cursor = offsets.slice(0, keyCount);
  const order = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const key = keys[row] as number;
    order[cursor[key] as number] = row;
    addAt(cursor, key, 1);
  }
  return { offsets, order };
}

/** `array[index] += value`, spelled so strict index checks accept it. */
export function addAt(array: Int32Array | Float64Array, index: number, value: number): void {
  array[index] = (array[index] as number) + value;
}

/**
 * Bytes per chunk of a {@link ChunkedColumn}: glibc's malloc maps a block this large (its largest mmap threshold)
 * on its own, so a chunk's unwritten tail takes no memory and a freed chunk goes back to the system at once, where
 * smaller blocks of a finished worker thread stay in its arena.
 */
const CHUNK_BYTES = 32 * 1024 * 1024;

/** Int32 values per chunk: {@link chunkedValue} reads chunks of this length. */
export const INT32_CHUNK_LENGTH = CHUNK_BYTES / Int32Array.BYTES_PER_ELEMENT;
const INT32_CHUNK_BITS = Math.log2(INT32_CHUNK_LENGTH);

/**
 * Values appended in chunks of {@link CHUNK_BYTES}. A doubling array copies itself as it grows, and the copy and
 * the array it replaced are both resident until the next collection: for the millions of rows of a recommendations
 * file that transient was the largest part of its read. Chunks are never copied.
 */
export class ChunkedColumn<Chunk extends Int32Array | Float64Array> {
  readonly chunks: Chunk[] = [];
  length = 0;
  private readonly bits: number;
  private readonly mask: number;

  private constructor(
    private readonly allocate: (length: number) => Chunk,
    bytesPerElement: number,
  ) {
    this.bits = Math.log2(CHUNK_BYTES / bytesPerElement);
    this.mask = (1 << this.bits) - 1;
  }

  static int32(): ChunkedColumn<Int32Array> {
    return new ChunkedColumn((length) => new Int32Array(length), Int32Array.BYTES_PER_ELEMENT);
  }

  static float64(): ChunkedColumn<Float64Array> {
    return new ChunkedColumn((length) => new Float64Array(length), Float64Array.BYTES_PER_ELEMENT);
  }

  push(value: number): void {
    const at = this.length & this.mask;
    if (at === 0) this.chunks.push(this.allocate(this.mask + 1));
    (this.chunks[this.chunks.length - 1] as Chunk)[at] = value;
    this.length++;
  }

  get(index: number): number {
    return (this.chunks[index >>> this.bits] as Chunk)[index & this.mask] as number;
  }

  set(index: number, value: number): void {
    (this.chunks[index >>> this.bits] as Chunk)[index & this.mask] = value;
  }
}

/** The value at `index` of Int32 chunks laid out as a {@link ChunkedColumn}'s. */
export function chunkedValue(chunks: readonly Int32Array[], index: number): number {
  return (chunks[index >>> INT32_CHUNK_BITS] as Int32Array)[index & (INT32_CHUNK_LENGTH - 1)] as number;
}

/**
 * Gives arrays' memory back now rather than at a later collection: moving a buffer's contents to one of length 0
 * detaches it and frees its store at once. Only for arrays whose buffer nothing else uses (a view on part of one,
 * such as a single-chunk list's items, frees the whole buffer); they are empty after.
 */
export function release(arrays: readonly (Int32Array | Float64Array)[]): void {
  for (const array of arrays)
    (array.buffer as ArrayBuffer & { transfer(length: number): ArrayBuffer }).transfer(0);
}

/**
 * log2 of the positions a block index entry covers in {@link moveBlocksInPlace}: 64, as blocks (a user's list) are
 * about maxK long.
 */
const INDEX_ENTRY_BITS = 6;

/** Where block b starts: `ends[b − 1]`, 0 for the first. */
function blockStart(ends: Int32Array, block: number): number {
  return block === 0 ? 0 : (ends[block - 1] as number);
}

/**
 * Moves consecutive blocks of `values` in place, so block b (`[ends[b − 1], ends[b])`, from 0 for the first)
 * starts at `starts[b]`; the blocks must fill `[0, ends[blockCount − 1])` in both layouts. The values must be ≥ 0,
 * as ids are. Laying a reader's lists out in user order this way needs no second copy of them.
 */
export function moveBlocksInPlace(
  values: Int32Array,
  ends: Int32Array,
  blockCount: number,
  starts: Int32Array,
): void {
  if (!moveAsStablePartition(values, ends, blockCount, starts))
    moveAlongCycles(values, ends, blockCount, starts);
}

/** Blocks set aside by {@link moveAsStablePartition} may hold at most this share of the values. */
const MAX_SET_ASIDE_SHARE = 1 / 8;

/**
 * The usual layout, done with sequential copies: the blocks that keep their order and pack to the front (the users
 * the interactions interned first, in the same order in both files), then the others, in their order too. The
 * first kind move forward with `copyWithin`; the others wait in a copy, which is refused (false, nothing moved)
 * when they would be more than {@link MAX_SET_ASIDE_SHARE} of the values, or when the layout is not of this shape.
 */
function moveAsStablePartition(
  values: Int32Array,
  ends: Int32Array,
  blockCount: number,
  starts: Int32Array,
): boolean {
  const length = blockCount === 0 ? 0 : (ends[blockCount - 1] as number);
  const kept = new Uint8Array(blockCount);
  let front = 0;
  for (let block = 0; block < blockCount; block++) {
    if (starts[block] !== front) continue;
    kept[block] = 1;
    front += (ends[block] as number) - blockStart(ends, block);
  }
  let back = front;
  for (let block = 0; block < blockCount; block++) {
    if (kept[block] === 1) continue;
    if (starts[block] !== back) return false;
    back += (ends[block] as number) - blockStart(ends, block);
  }
  if (length - front > length * MAX_SET_ASIDE_SHARE) return false;
  const setAside = new Int32Array(length - front);
  let aside = 0;
  for (let block = 0; block < blockCount; block++) {
    const from = blockStart(ends, block);
    const to = ends[block] as number;
    if (kept[block] === 1) values.copyWithin(starts[block] as number, from, to);
    else {
      setAside.set(values.subarray(from, to), aside);
      aside += to - from;
    }
  }
  values.set(setAside, front);
  return true;
}

/**
 * Any layout: each value moves once, along the cycles of the permutation, and is marked by its bitwise complement
 * until the end. Its reads and writes jump about: for a shard's 2.5 M values in 25 000 blocks, 45 ms where the
 * copies above take 3 ms.
 */
function moveAlongCycles(values: Int32Array, ends: Int32Array, blockCount: number, starts: Int32Array): void {
  const length = blockCount === 0 ? 0 : (ends[blockCount - 1] as number);
  const blockAt = blockFinder(ends, length);
  // How far each block moves, so the walk needs one look-up a value.
  const shifts = new Int32Array(blockCount);
  for (let block = 0; block < blockCount; block++)
    shifts[block] = (starts[block] as number) - blockStart(ends, block);
  for (let first = 0; first < length; first++) {
    let carried = values[first] as number;
    if (carried < 0) continue;
    let position = first;
    for (;;) {
      const target = position + (shifts[blockAt(position)] as number);
      const displaced = values[target] as number;
      values[target] = ~carried;
      if (target === first) break;
      carried = displaced;
      position = target;
    }
  }
  for (let position = 0; position < length; position++) values[position] = ~(values[position] as number);
}

/**
 * The block holding a position, through an index of the block at every 2^{@link INDEX_ENTRY_BITS}-th position: a
 * few steps from there instead of a binary search over the blocks.
 */
function blockFinder(ends: Int32Array, length: number): (position: number) => number {
  const index = new Int32Array(Math.ceil(length / 2 ** INDEX_ENTRY_BITS));
  let block = 0;
  for (let entry = 0; entry < index.length; entry++) {
    while ((ends[block] as number) <= entry << INDEX_ENTRY_BITS) block++;
    index[entry] = block;
  }
  return (position) => {
    let found = index[position >>> INDEX_ENTRY_BITS] as number;
    while ((ends[found] as number) <= position) found++;
    return found;
  };
}
