import { UserFacingError } from '@recsys-actions/core';
import { sortFloat64InPlace } from './sort-floats';

/**
 * A numeric sample sorted ascending, NaN-free and non-empty. KS, Wasserstein and the histogram all walk sorted
 * data, so a column is sorted once and the same `SortedSample` is handed to every statistic.
 */
export class SortedSample {
  private constructor(readonly values: Float64Array) {}

  /** Sorts a copy of `values` (the caller's array is left alone). `label` names the sample in error messages. */
  static from(values: Float64Array | readonly number[], label = 'sample'): SortedSample {
    return SortedSample.adopt(Float64Array.from(values), label);
  }

  /**
   * Takes ownership of `values`: sorts it in place and wraps it without a copy, for callers that built the array
   * themselves. Afterwards the caller must not read or write `values` except through the sample's `values`,
   * which is the same array. Throws on NaN as `from` does (the array is then left sorted).
   */
  static adopt(values: Float64Array, label = 'sample'): SortedSample {
    sortFloat64InPlace(values);
    // The sort puts NaN last, so one look at the end finds any.
    if (values.length > 0 && Number.isNaN(values[values.length - 1])) throw containsNaN(label);
    return new SortedSample(values);
  }

  /**
   * Wraps values that are already sorted, such as a serialized profile read back or an array received from a
   * worker thread, without sorting or copying them. One linear pass checks the claim, since a wrong order would
   * silently corrupt every statistic; the order is the builtin sort's, so -0 may precede +0 but not follow it.
   */
  static ofSorted(values: Float64Array, label = 'sample'): SortedSample {
    if (values.length > 0 && Number.isNaN(values[0])) throw containsNaN(label);
    for (let i = 1; i < values.length; i++) {
      const previous = values[i - 1] as number;
      const next = values[i] as number;
      const inOrder =
        previous < next || (previous === next && !(Object.is(previous, 0) && Object.is(next, -0)));
      if (inOrder) continue;
      if (Number.isNaN(next)) throw containsNaN(label);
      throw new UserFacingError(
        `The ${label} is not sorted ascending: the value at index ${i} belongs before the one at index ${i - 1}.`,
      );
    }
    return new SortedSample(values);
  }

  /** The sorted union of two samples (with repeats), by one linear merge. */
  static merge(a: SortedSample, b: SortedSample): SortedSample {
    const x = a.values;
    const y = b.values;
    const merged = new Float64Array(x.length + y.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < merged.length; k++) {
      const takeFromA = j >= y.length || (i < x.length && (x[i] as number) <= (y[j] as number));
      merged[k] = takeFromA ? (x[i++] as number) : (y[j++] as number);
    }
    return new SortedSample(merged);
  }

  get size(): number {
    return this.values.length;
  }

  /** Throws a user-facing error when the sample is empty, naming the statistic that needed data. */
  requireData(statistic: string, label: string): this {
    if (this.size === 0) {
      throw new UserFacingError(
        `${statistic} needs at least one value in the ${label} sample, which is empty.`,
      );
    }
    return this;
  }
}

function containsNaN(label: string): UserFacingError {
  return new UserFacingError(
    `The ${label} contains NaN; drop missing values before computing drift statistics.`,
  );
}

/** Accepts raw or already-sorted data, so one-off calls stay short while hot paths sort once. */
export function asSorted(
  sample: SortedSample | Float64Array | readonly number[],
  label: string,
): SortedSample {
  return sample instanceof SortedSample ? sample : SortedSample.from(sample, label);
}

export type NumericSample = SortedSample | Float64Array | readonly number[];
