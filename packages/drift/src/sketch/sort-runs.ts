/**
 * Sorting a sketch level. Above level 0 a level is a concatenation of a few ascending runs (the halves promoted
 * from below, another sketch's level appended by a merge), so merging the runs takes linear time where the
 * builtin sort takes n·log n: most of the time of merging many shard profiles. The result is exactly
 * `values.sort()`'s (one sorted order exists; -0 is put before +0 as the builtin does). Raw values (many runs)
 * and NaN, which the sketch never holds but a hand-written profile could, go to the builtin sort.
 */

/**
 * Runs shorter than this on average, and the builtin sort is faster than merging them pairwise (under Node 24 the
 * two cross near 12 items a run on a level of 12 000; the levels of merged shards hold tens of runs).
 */
const MIN_AVERAGE_RUN = 32;

/** Scratch for the merges, grown as needed: sketches compact one level at a time, on one thread. */
let scratch = new Float64Array(0);

/** Sorts `values` in place, as `values.sort()` does, and returns it. */
export function sortLevel(values: Float64Array): Float64Array {
  const starts = runStarts(values);
  if (starts === undefined) return values.sort();
  if (starts.length === 1) return values;
  if (scratch.length < values.length) scratch = new Float64Array(values.length);
  let source: Float64Array = values;
  let target: Float64Array = scratch.subarray(0, values.length);
  let bounds = [...starts, values.length];
  while (bounds.length > 2) {
    const merged = [0];
    for (let run = 0; run + 1 < bounds.length; run += 2) {
      const end = bounds[Math.min(run + 2, bounds.length - 1)] as number;
      mergeRuns(source, target, bounds[run] as number, bounds[run + 1] as number, end);
      merged.push(end);
    }
    bounds = merged;
    [source, target] = [target, source];
  }
  if (source !== values) values.set(source);
  return values;
}

/** Where each ascending run starts, or undefined when there are too many runs or a NaN. */
function runStarts(values: Float64Array): number[] | undefined {
  const starts = [0];
  const maxRuns = Math.max(1, values.length / MIN_AVERAGE_RUN);
  if (values.length > 0 && Number.isNaN(values[0])) return undefined;
  for (let i = 1; i < values.length; i++) {
    const value = values[i] as number;
    if (Number.isNaN(value)) return undefined;
    if (before(value, values[i - 1] as number)) {
      starts.push(i);
      if (starts.length > maxRuns) return undefined;
    }
  }
  return starts;
}

/** The builtin order on numbers that are not NaN: -0 before +0. */
function before(a: number, b: number): boolean {
  return a < b || (a === 0 && b === 0 && 1 / a < 1 / b);
}

/** Merges the ascending runs source[start, middle) and source[middle, end) into target[start, end). */
function mergeRuns(
  source: Float64Array,
  target: Float64Array,
  start: number,
  middle: number,
  end: number,
): void {
  let left = start;
  let right = middle;
  let out = start;
  while (left < middle && right < end) {
    const a = source[left] as number;
    const b = source[right] as number;
    if (before(b, a)) {
      target[out++] = b;
      right++;
    } else {
      target[out++] = a;
      left++;
    }
  }
  if (left < middle) target.set(source.subarray(left, middle), out);
  else if (right < end) target.set(source.subarray(right, end), out);
}
