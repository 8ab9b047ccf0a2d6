import { SortedSample, sortFloat64InPlace } from '@recsys-actions/stats';
import { EXACT_MAX_VALUES, MAX_DISTINCT_FOR_COUNT_TESTS } from '../options';
import type { NumericColumnProfile } from '../profile';
import { sketchOfCounts, sketchSorted, type NumericSketch } from './numeric-sketch';
import { DistinctCounter } from './distinct-counter';
import type { QuantileSketch } from './quantile-sketch';

/**
 * Rows per chunk when streaming: 16 Ki rows × 8 bytes is 128 KiB per numeric column. At 64 Ki rows the chunk
 * buffers of a 1 M-row check's 20 numeric columns (two threads) held about 8 MiB more at its peak.
 */
export const CHUNK_ROWS = 1 << 14;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A numeric column fed in chunks: its finite values kept exactly up to {@link EXACT_MAX_VALUES}, then a sketch
 * (exact sums and extremes, a quantile sketch, distinct counts while few), so memory stops growing with the rows.
 */
export class NumericAccumulator {
  private values = new Float64Array(1024);
  private count = 0;
  private missing = 0;
  private sketch: Mutable<NumericSketch> | undefined;
  private distinct: DistinctCounter | undefined;
  private scratch = new Float64Array(0);

  constructor(readonly name: string) {}

  add(chunk: Float64Array): void {
    // While the whole chunk fits under the exact limit its finite values go straight into the column: no scratch
    // copy in between (the scratch is then never allocated for a column of at most EXACT_MAX_VALUES rows).
    if (this.sketch === undefined && this.count + chunk.length <= EXACT_MAX_VALUES) {
      this.reserve(this.count + chunk.length);
      this.count += this.copyFinite(chunk, this.values, this.count);
      return;
    }
    if (this.scratch.length < chunk.length) this.scratch = new Float64Array(chunk.length);
    const values = this.scratch.subarray(0, this.copyFinite(chunk, this.scratch, 0));
    if (this.sketch !== undefined) this.addToSketch(this.sketch, values);
    else this.addExact(values);
  }

  /** Copies the chunk's finite values into `target` from `at` and counts the rest as missing; returns the copied. */
  private copyFinite(chunk: Float64Array, target: Float64Array, at: number): number {
    let finite = 0;
    for (let i = 0; i < chunk.length; i++) {
      const value = chunk[i] as number;
      if (Number.isFinite(value)) target[at + finite++] = value;
    }
    this.missing += chunk.length - finite;
    return finite;
  }

  profile(): NumericColumnProfile {
    if (this.sketch !== undefined) {
      const { distinct } = this;
      const sketch = { ...this.sketch, missing: this.missing };
      return {
        name: this.name,
        type: 'numeric',
        sketch: distinct === undefined ? sketch : { ...sketch, distinct: distinct.toMap() },
      };
    }
    const sorted = SortedSample.adopt(this.values.subarray(0, this.count), this.name);
    const count = sorted.size;
    return {
      name: this.name,
      type: 'numeric',
      numeric: {
        count,
        missing: this.missing,
        min: count === 0 ? Infinity : (sorted.values[0] as number),
        max: count === 0 ? -Infinity : (sorted.values[count - 1] as number),
        sorted,
      },
    };
  }

  private addExact(values: Float64Array): void {
    if (this.count + values.length > EXACT_MAX_VALUES) {
      const kept = sortFloat64InPlace(this.values.subarray(0, this.count));
      const { distinct, ...sketch } = sketchSorted(kept, 0);
      this.sketch = sketch;
      this.distinct =
        distinct === undefined ? undefined : DistinctCounter.of(distinct, MAX_DISTINCT_FOR_COUNT_TESTS);
      this.values = new Float64Array(0);
      this.addToSketch(this.sketch, values);
      return;
    }
    this.reserve(this.count + values.length);
    this.values.set(values, this.count);
    this.count += values.length;
  }

  /** Room for `needed` values (at most EXACT_MAX_VALUES). */
  private reserve(needed: number): void {
    if (needed <= this.values.length) return;
    // From one full chunk on the column goes straight to its exact limit: doubling would leave 2× its size in
    // garbage for the GC, while pages of the large array that are never written are never resident.
    const larger = new Float64Array(
      needed >= CHUNK_ROWS ? EXACT_MAX_VALUES : Math.max(needed, this.values.length * 2),
    );
    larger.set(this.values.subarray(0, this.count));
    this.values = larger;
  }

  /** Exact parts by Chan's parallel update of count, sum and Σ(x − mean)²; the chunk's values into the sketch. */
  private addToSketch(sketch: Mutable<NumericSketch>, values: Float64Array): void {
    if (values.length === 0) return;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const mean = sum / values.length;
    let m2 = 0;
    for (let i = 0; i < values.length; i++) m2 += ((values[i] as number) - mean) ** 2;
    const count = sketch.count + values.length;
    const delta = mean - sketch.sum / sketch.count;
    sketch.m2 += m2 + (delta * delta * sketch.count * values.length) / count;
    sketch.sum += sum;
    sketch.count = count;
    sketch.min = Math.min(sketch.min, min);
    sketch.max = Math.max(sketch.max, max);
    this.countDistinct(values);
  }

  /**
   * While the column has at most MAX_DISTINCT_FOR_COUNT_TESTS distinct values their counts are the whole truth and
   * the quantile sketch waits; once there are more, it starts from those counts (without error) and takes the rest.
   */
  private countDistinct(values: Float64Array): void {
    const distinct = this.distinct;
    const sketch = this.sketch as Mutable<NumericSketch>;
    if (distinct === undefined) {
      // Sorted first (the values are this accumulator's scratch copy): the sketch then compacts them k at a time
      // straight from here, or merges them with its bottom level's few, where raw values took a comparison sort
      // every k values, about 40 % of a 10 M-row check. Its error bound holds whatever order the values come in.
      (sketch.quantiles as QuantileSketch).addSorted(sortFloat64InPlace(values));
      return;
    }
    const past = distinct.addAll(values);
    if (past < 0) return;
    this.distinct = undefined;
    const quantiles = sketchOfCounts(distinct.toMap());
    quantiles.addMany(values.subarray(past + 1));
    sketch.quantiles = quantiles;
  }
}
