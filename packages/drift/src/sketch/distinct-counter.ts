/** The bits of a double, through one shared buffer (hashing reads the two 32-bit halves). */
const bits = new Float64Array(1);
const halves = new Uint32Array(bits.buffer);

/**
 * The count of each distinct value of a numeric column while there are at most `limit` of them, in first-seen
 * order, exactly as a `Map<number, number>` counting them would hold them (-0 counted as +0, as Map keys are).
 * Why not a Map: past the exact limit every value of a low-cardinality column is counted, and a Map's hashing of
 * doubles was most of the time of streaming 10 M rows; this is an open-addressing table on the value's bits.
 */
export class DistinctCounter {
  private readonly keys: Float64Array;
  private readonly counts: Float64Array;
  /** Hash slots holding an index into keys + 1, 0 when empty; at most half full. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private size = 0;

  constructor(private readonly limit: number) {
    this.keys = new Float64Array(limit + 1);
    this.counts = new Float64Array(limit + 1);
    let capacity = 16;
    while (capacity < 2 * (limit + 1)) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** A counter holding `counts` (at most `limit` values), in their order. */
  static of(counts: ReadonlyMap<number, number>, limit: number): DistinctCounter {
    const counter = new DistinctCounter(limit);
    for (const [value, count] of counts) counter.count(value, count);
    return counter;
  }

  /**
   * Counts `values` until one more than `limit` values are distinct: returns the position of the value that
   * made them so (counted), or -1 when every value was counted within the limit.
   */
  addAll(values: Float64Array): number {
    for (let i = 0; i < values.length; i++) {
      if (!this.count(values[i] as number, 1)) return i;
    }
    return -1;
  }

  /** The counts as a Map, in first-seen order. */
  toMap(): Map<number, number> {
    const map = new Map<number, number>();
    for (let i = 0; i < this.size; i++) map.set(this.keys[i] as number, this.counts[i] as number);
    return map;
  }

  /** Adds `count` to the value's count; false once more than `limit` values are distinct. */
  private count(value: number, count: number): boolean {
    const key = value === 0 ? 0 : value;
    bits[0] = key;
    let slot =
      Math.imul((halves[0] as number) ^ Math.imul(halves[1] as number, 0x9e3779b1), 0x85ebca6b) >>> 16;
    for (; ; slot++) {
      const index = this.slots[slot & this.mask] as number;
      if (index === 0) break;
      if (this.keys[index - 1] === key) {
        this.counts[index - 1] = (this.counts[index - 1] as number) + count;
        return true;
      }
    }
    this.keys[this.size] = key;
    this.counts[this.size] = count;
    this.slots[slot & this.mask] = ++this.size;
    return this.size <= this.limit;
  }
}
