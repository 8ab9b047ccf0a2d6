import { sortLevel } from './sort-runs';

/**
 * A mergeable quantile sketch: KLL's hierarchy of compactors with equal capacities (the deterministic
 * Manku–Rajagopalan–Lindsay layout, KLL's random compaction offset). Level h holds items of weight 2^h; a level
 * reaching `k` items is sorted and every other item (starting at a random offset) moves up a level with twice the
 * weight, the rest is dropped.
 *
 * Why this design: KLL's shrinking lower levels save space but their error bound is only probabilistic. With
 * every level of capacity k, one compaction of level h shifts any rank by at most 2^h, and level h compacts at
 * most n / (k·2^h) times, so the rank error is at most n/k per level that ever compacted, whatever the offsets:
 *
 *     |estimated rank − true rank| ≤ ε·n,  ε = (⌊log2(n / k)⌋ + 1) / k      (n ≥ k; exact below k)
 *
 * The sketch also tracks the bound it actually incurred (`rankErrorBound`, Σ 2^h over its compactions), which
 * merges add, so a merged sketch states its own sound bound. The random offsets make the typical error far
 * smaller than the bound; the bound is what the drift check adds to KS's D. Space: at most k·(levels) values.
 */
export const DEFAULT_SKETCH_K = 8192;

/** The documented worst-case relative rank error of a sketch of `count` values with capacity `k`. */
export function rankErrorEpsilon(count: number, k: number = DEFAULT_SKETCH_K): number {
  if (count < k) return 0;
  return (Math.floor(Math.log2(count / k)) + 1) / k;
}

/** The sketch's items as a weighted step CDF: `values` ascending, `cumulative[i]` = weight of items ≤ values[i]. */
export interface WeightedPoints {
  readonly values: Float64Array;
  readonly cumulative: Float64Array;
}

export interface QuantileSketchState {
  readonly k: number;
  readonly count: number;
  readonly rankErrorBound: number;
  /** Items per level, level 0 first (weight 2^level). */
  readonly levels: readonly Float64Array[];
}

export class QuantileSketch {
  readonly k: number;
  private levels: Float64Array[] = [];
  private sizes: number[] = [];
  private total = 0;
  private errorBound = 0;
  /** xorshift32 state for the compaction offsets; fixed so a sketch of the same input is the same sketch. */
  private random = 0x9e3779b9;

  constructor(k: number = DEFAULT_SKETCH_K) {
    if (!Number.isInteger(k) || k < 2 || k % 2 !== 0)
      throw new RangeError(`k must be an even integer ≥ 2, got ${k}`);
    this.k = k;
  }

  /** Values added (the total weight). */
  get count(): number {
    return this.total;
  }

  /** The rank error this sketch can have at most, in values (Σ 2^h over its compactions). */
  get rankErrorBound(): number {
    return this.errorBound;
  }

  /** The weight of the items retained: equal to `count` for any sketch built or merged here. */
  retainedWeight(): number {
    return this.sizes.reduce((sum, size, h) => sum + size * 2 ** h, 0);
  }

  /** Adds finite values (the caller drops NaN and ±∞). */
  addMany(values: ArrayLike<number>): void {
    let i = 0;
    while (i < values.length) {
      const level = this.level(0, this.k);
      const size = this.sizeOf(0);
      const room = Math.min(this.k - size, values.length - i);
      for (let j = 0; j < room; j++) level[size + j] = values[i + j] as number;
      this.sizes[0] = size + room;
      i += room;
      this.total += room;
      if (size + room >= this.k) this.compress();
    }
  }

  /**
   * {@link addMany} for values in ascending order. While the bottom level is empty, each k of them are compacted
   * straight from `values`, as a copy of them would be (same items promoted, same offsets drawn), without the
   * copy and the check that it is sorted.
   */
  addSorted(values: Float64Array): void {
    let i = 0;
    for (; this.sizeOf(0) === 0 && values.length - i >= this.k; i += this.k) {
      this.promoteHalf(0, values.subarray(i, i + this.k));
      this.total += this.k;
      this.compress();
    }
    this.addMany(values.subarray(i));
  }

  add(value: number): void {
    this.addMany([value]);
  }

  /**
   * Adds `value` `weight` times without error: one item at each level h whose bit is set in `weight` (an item at
   * level h weighs 2^h), as for exact counts of a column with few distinct values.
   */
  addWeighted(value: number, weight: number): void {
    const one = Float64Array.of(value);
    for (let h = 0, rest = weight; rest > 0; h++, rest = Math.floor(rest / 2)) {
      if (rest % 2 === 1) this.append(h, one, 1);
    }
    this.total += weight;
    this.compress();
  }

  /** Adds `other`'s items into this sketch (which then summarises both inputs). */
  merge(other: QuantileSketch): void {
    if (other.k !== this.k) throw new RangeError(`cannot merge sketches of k ${this.k} and ${other.k}`);
    for (let h = 0; h < other.sizes.length; h++) this.append(h, other.level(h), other.sizeOf(h));
    this.total += other.total;
    this.errorBound += other.errorBound;
    this.compress();
  }

  /** The retained items as a weighted step CDF (total weight = count): the levels sorted, then merged. */
  points(): WeightedPoints {
    const runs = this.sizes.map((size, h) => sortLevel(this.level(h).slice(0, size)));
    const positions = runs.map(() => 0);
    const size = runs.reduce((sum, run) => sum + run.length, 0);
    const values = new Float64Array(size);
    const cumulative = new Float64Array(size);
    let distinct = 0;
    let weight = 0;
    for (let taken = 0; taken < size; taken++) {
      let level = -1;
      let value = Infinity;
      for (let h = 0; h < runs.length; h++) {
        const run = runs[h] as Float64Array;
        const position = positions[h] as number;
        if (position < run.length && (level < 0 || (run[position] as number) < value)) {
          level = h;
          value = run[position] as number;
        }
      }
      positions[level] = (positions[level] as number) + 1;
      weight += 2 ** level;
      if (distinct > 0 && values[distinct - 1] === value) cumulative[distinct - 1] = weight;
      else {
        values[distinct] = value;
        cumulative[distinct++] = weight;
      }
    }
    return { values: values.slice(0, distinct), cumulative: cumulative.slice(0, distinct) };
  }

  state(): QuantileSketchState {
    return {
      k: this.k,
      count: this.total,
      rankErrorBound: this.errorBound,
      levels: this.sizes.map((size, h) => this.level(h).slice(0, size)),
    };
  }

  /** The sketch of a state, which hands over its level arrays (no copies): pass arrays nothing else writes. */
  static fromState(state: QuantileSketchState): QuantileSketch {
    const sketch = new QuantileSketch(state.k);
    sketch.levels = [...state.levels];
    sketch.sizes = state.levels.map((items) => items.length);
    sketch.total = state.count;
    sketch.errorBound = state.rankErrorBound;
    return sketch;
  }

  /** Level h's buffer, created empty and grown to at least `capacity` (levels fill through {@link append}). */
  private level(h: number, capacity = 0): Float64Array {
    while (this.levels.length <= h) {
      this.levels.push(new Float64Array(0));
      this.sizes.push(0);
    }
    const level = this.levels[h] as Float64Array;
    if (level.length >= capacity) return level;
    const larger = new Float64Array(capacity);
    larger.set(level.subarray(0, this.sizeOf(h)));
    this.levels[h] = larger;
    return larger;
  }

  private sizeOf(h: number): number {
    return this.sizes[h] ?? 0;
  }

  private append(h: number, items: Float64Array, count: number): void {
    const size = this.sizeOf(h);
    this.reserve(h, count).set(items.subarray(0, count), size);
    this.sizes[h] = size + count;
  }

  /** Level h's buffer with room for `count` more items (at least doubled when it grows, so appends stay linear). */
  private reserve(h: number, count: number): Float64Array {
    const level = this.level(h);
    const size = this.sizeOf(h);
    if (size + count <= level.length) return level;
    const larger = new Float64Array(Math.max(size + count, level.length * 2));
    larger.set(level.subarray(0, size));
    this.levels[h] = larger;
    return larger;
  }

  /** Compacts every level that reached k, bottom up (a compaction can fill the level above). */
  private compress(): void {
    for (let h = 0; h < this.sizes.length; h++) if (this.sizeOf(h) >= this.k) this.compact(h);
  }

  /**
   * Sorts level h and promotes every other item of its even-sized prefix; an odd item out (the largest) stays.
   * For any query the promoted items' weight differs from the compacted ones' by at most 2^h.
   */
  private compact(h: number): void {
    const size = this.sizeOf(h);
    const items = sortLevel(this.level(h).subarray(0, size));
    this.promoteHalf(h, items);
    if (size % 2 === 1) items[0] = items[size - 1] as number;
    this.sizes[h] = size % 2;
  }

  /** Moves every other item of the sorted `items`' even-sized prefix, from a random offset, to level h + 1. */
  private promoteHalf(h: number, items: Float64Array): void {
    const promoted = (items.length - (items.length % 2)) / 2;
    const offset = this.nextBit();
    // The promoted items go straight to the end of level h + 1 (no array in between).
    const above = this.sizeOf(h + 1);
    const target = this.reserve(h + 1, promoted);
    for (let i = 0; i < promoted; i++) target[above + i] = items[2 * i + offset] as number;
    this.sizes[h + 1] = above + promoted;
    this.errorBound += 2 ** h;
  }

  private nextBit(): number {
    let x = this.random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.random = x >>> 0;
    return this.random & 1;
  }
}
