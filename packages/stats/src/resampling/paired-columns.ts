import { ConfigError } from '@recsys-actions/core';
import { checkPairedSample, type PairedSample } from './paired-sample';

/**
 * A paired sample by metric, keeping only the users whose value is nonzero in either model: metric m's entries
 * are `starts[m]` to `starts[m + 1] - 1`, in ascending user order, entry j being user `rows[j]` with values
 * `challenger[j]` and `baseline[j]`. A zero adds nothing to a sum (a sum that starts at +0 never becomes −0), so
 * every sum over these entries, taken in user order, equals the sum over all users bit for bit; ranking metrics
 * are 0 for most users at small cut-offs, and resampling reads each metric's entries in one sequential pass.
 */
export interface PairedColumns {
  readonly users: number;
  readonly metrics: number;
  readonly starts: Int32Array;
  readonly rows: Int32Array;
  readonly challenger: Float64Array;
  readonly baseline: Float64Array;
}

/** What the resampling functions take: a row-major sample, or the same sample by metric. */
export type PairedInput = PairedSample | PairedColumns;

/**
 * The sample by metric, its arrays in buffers from `allocate` (a SharedArrayBuffer lets another thread resample
 * them without a copy).
 */
export function pairedColumns(
  sample: PairedSample,
  allocate: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): PairedColumns {
  checkPairedSample(sample);
  const { users, metrics, challenger, baseline } = sample;
  const starts = new Int32Array(allocate((metrics + 1) * Int32Array.BYTES_PER_ELEMENT));
  for (let index = 0; index < users * metrics; index++)
    if (challenger[index] !== 0 || baseline[index] !== 0) addOne(starts, (index % metrics) + 1);
  for (let metric = 0; metric < metrics; metric++)
    starts[metric + 1] = (starts[metric + 1] as number) + (starts[metric] as number);
  const entries = starts[metrics] as number;
  const columns: PairedColumns = {
    users,
    metrics,
    starts,
    rows: new Int32Array(allocate(entries * Int32Array.BYTES_PER_ELEMENT)),
    challenger: new Float64Array(allocate(entries * Float64Array.BYTES_PER_ELEMENT)),
    baseline: new Float64Array(allocate(entries * Float64Array.BYTES_PER_ELEMENT)),
  };
  const next = starts.slice(0, metrics);
  for (let user = 0; user < users; user++) {
    for (let metric = 0; metric < metrics; metric++) {
      const index = user * metrics + metric;
      if (challenger[index] === 0 && baseline[index] === 0) continue;
      const entry = next[metric] as number;
      next[metric] = entry + 1;
      columns.rows[entry] = user;
      columns.challenger[entry] = challenger[index] as number;
      columns.baseline[entry] = baseline[index] as number;
    }
  }
  return columns;
}

function addOne(counts: Int32Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}

/** The input by metric: converted when given row-major, checked when given by metric. */
export function columnsOf(input: PairedInput): PairedColumns {
  if (!('starts' in input)) return pairedColumns(input);
  const { users, metrics, starts, rows, challenger, baseline } = input;
  const entries = starts[metrics];
  if ([rows, challenger, baseline].some((array) => array.length !== entries) || starts.length !== metrics + 1)
    throw new ConfigError(
      'sample',
      `must hold ${metrics + 1} column starts and a row and two values per entry`,
    );
  if (users === 0) throw new ConfigError('sample', 'has no users to compare');
  return input;
}

/** Each metric's sum over the users, per model, added in user order (as a loop over every user would). */
export function columnSums(columns: PairedColumns): { challenger: Float64Array; baseline: Float64Array } {
  const { metrics, starts } = columns;
  const sums = { challenger: new Float64Array(metrics), baseline: new Float64Array(metrics) };
  for (let metric = 0; metric < metrics; metric++) {
    let challenger = 0;
    let baseline = 0;
    for (let entry = starts[metric] as number; entry < (starts[metric + 1] as number); entry++) {
      challenger += columns.challenger[entry] as number;
      baseline += columns.baseline[entry] as number;
    }
    sums.challenger[metric] = challenger;
    sums.baseline[metric] = baseline;
  }
  return sums;
}
