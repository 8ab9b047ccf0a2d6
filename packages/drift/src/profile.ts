import { DataError, UserFacingError } from '@recsys-actions/core';
import {
  readTable,
  type ReadTableOptions,
  type CategoricalColumn,
  type TableChunks,
} from '@recsys-actions/data';
import type { SortedSample } from '@recsys-actions/stats';
import { mergeProfiles, type CategoryProfile, type NumericProfile } from '@recsys-actions/stats';
import { EXACT_MAX_VALUES, type DriftOptions } from './options';
import { boundCategories, mergeCategoryColumns, type CategoryRemainder } from './sketch/category-sketch';
import { CHUNK_ROWS, NumericAccumulator } from './sketch/numeric-accumulator';
import {
  mergeNumericSketches,
  NumericSketchMerger,
  sketchSorted,
  type NumericSketch,
} from './sketch/numeric-sketch';

/** A numeric column of at most {@link EXACT_MAX_VALUES} values: every finite value, sorted. */
export interface ExactNumericColumnProfile {
  readonly name: string;
  readonly type: 'numeric';
  /** Finite values only: NaN and ±∞ count as missing (`numeric.missing`). */
  readonly numeric: NumericProfile;
  readonly sketch?: undefined;
}

/** A numeric column of more than {@link EXACT_MAX_VALUES} values: a quantile sketch and exact sums. */
export interface SketchedNumericColumnProfile {
  readonly name: string;
  readonly type: 'numeric';
  readonly sketch: NumericSketch;
  readonly numeric?: undefined;
}

export type NumericColumnProfile = ExactNumericColumnProfile | SketchedNumericColumnProfile;

export interface CategoricalColumnProfile {
  readonly name: string;
  readonly type: 'categorical';
  /** Category names in first-seen order; `counts` is aligned with them. */
  readonly categories: readonly string[];
  readonly counts: CategoryProfile;
  /** Set once the column outgrew the exact limits: the categories left out (see {@link CategoryRemainder}). */
  readonly other?: CategoryRemainder;
}

export type ColumnProfile = NumericColumnProfile | CategoricalColumnProfile;

/**
 * What the drift check keeps of a dataset: per numeric column every finite value sorted (exact KS and Wasserstein
 * need them), per categorical column the count of each category. Profiles of shards merge into the profile of
 * their concatenation.
 */
export interface DatasetProfile {
  readonly rows: number;
  readonly skippedBadRows: number;
  /** Every column of the (first) file, compared or not, to tell columns the current data adds. */
  readonly fileColumns: readonly string[];
  readonly columns: readonly ColumnProfile[];
}

/** A categorical column of a table read for profiling (counts only, no per-row codes). */
function categoricalProfileOf(column: CategoricalColumn): CategoricalColumnProfile {
  return boundCategories({
    name: column.name,
    type: 'categorical',
    categories: column.dictionary,
    counts: { counts: column.counts, missing: column.missing },
  });
}

/** The column as kept: exact up to {@link EXACT_MAX_VALUES} values, sketched above. */
export function boundNumeric(column: NumericColumnProfile): NumericColumnProfile {
  if (column.sketch !== undefined || column.numeric.count <= EXACT_MAX_VALUES) return column;
  return { name: column.name, type: 'numeric', sketch: sketchOf(column) };
}

/** A sketch of the column, whichever way it is kept. */
export function sketchOf(column: NumericColumnProfile): NumericSketch {
  if (column.sketch !== undefined) return column.sketch;
  return sketchSorted(column.numeric.sorted.values, column.numeric.missing);
}

/** A numeric profile around finite values already sorted; `missing` counts the NaN and ±∞ left out. */
export function numericProfileOf(sorted: SortedSample, missing: number): NumericProfile {
  const count = sorted.size;
  return {
    count,
    missing,
    min: count === 0 ? Infinity : (sorted.values[0] as number),
    max: count === 0 ? -Infinity : (sorted.values[count - 1] as number),
    sorted,
  };
}

/**
 * Reads files and profiles them in one streaming pass: numeric columns arrive in chunks and are kept exactly up to
 * EXACT_MAX_VALUES values, sketched above; categorical columns keep only their counts. Peak memory is therefore
 * bounded by the columns' exact limit and sketches, not by the rows.
 */
export async function readProfile(
  paths: readonly string[],
  options: ReadTableOptions,
): Promise<{ profile: DatasetProfile; firstBadRow?: string }> {
  let accumulators: NumericAccumulator[] | undefined;
  const chunks: TableChunks = {
    rows: CHUNK_ROWS,
    onChunk(numericValues) {
      accumulators ??= numericValues.map((_, i) => new NumericAccumulator(String(i)));
      for (const [i, values] of numericValues.entries()) accumulators[i]?.add(values);
    },
    onRestart() {
      accumulators = undefined;
    },
  };
  const table = await readTable(paths, { ...options, categoryCodes: false, chunks });
  if (table.rows === 0) {
    const skipped = table.skippedBadRows > 0 ? ` after skipping ${table.skippedBadRows} bad rows` : '';
    throw new DataError(
      table.files.join(', '),
      `has no data rows${skipped}; expected a header and at least one row`,
    );
  }
  let numericIndex = 0;
  const columns = table.columns.map((column): ColumnProfile => {
    if (column.type === 'categorical') return categoricalProfileOf(column);
    const accumulator = accumulators?.[numericIndex++] as NumericAccumulator;
    return boundNumeric({ ...accumulator.profile(), name: column.name });
  });
  return {
    profile: {
      rows: table.rows,
      skippedBadRows: table.skippedBadRows,
      fileColumns: table.fileColumns,
      columns,
    },
    ...(table.firstBadRow === undefined ? {} : { firstBadRow: table.firstBadRow }),
  };
}

export function tableOptions(options: DriftOptions, columns?: readonly string[]): ReadTableOptions {
  return {
    ...(columns === undefined ? {} : { columns }),
    ...(options.columnTypes === undefined ? {} : { columnTypes: options.columnTypes }),
    onBadRows: options.onBadRows ?? 'fail',
  };
}

/** Profiles the reference files (paths or globs): the columns in `options.columns` (default all). */
export async function profileDataset(paths: string[], options: DriftOptions): Promise<DatasetProfile> {
  return (await readProfile(paths, tableOptions(options, options.columns))).profile;
}

/**
 * {@link mergeDatasetProfiles} over many profiles (shards), added one at a time as they are read, so each one's
 * parsed form is garbage once added. A numeric column that ends up sketched merges all its shards' sketches into
 * one, instead of copying the growing sketch once per shard.
 */
export class ProfileMerger {
  private first: DatasetProfile | undefined;
  private rows = 0;
  private skippedBadRows = 0;
  private columns: ColumnMerger[] = [];

  add(profile: DatasetProfile): void {
    if (this.first === undefined) {
      this.first = profile;
      this.columns = profile.columns.map(() => new ColumnMerger());
    } else requireSameColumns(this.first, profile);
    this.rows += profile.rows;
    this.skippedBadRows += profile.skippedBadRows;
    profile.columns.forEach((column, i) => this.columns[i]?.add(column));
  }

  result(): DatasetProfile {
    if (this.first === undefined) throw new RangeError('ProfileMerger needs at least one profile');
    return {
      rows: this.rows,
      skippedBadRows: this.skippedBadRows,
      fileColumns: this.first.fileColumns,
      columns: this.columns.map((column) => column.result()),
    };
  }
}

/**
 * One column of {@link ProfileMerger}. Categorical shards merge as they come. Numeric shards are held while all are
 * exact and hold at most EXACT_MAX_VALUES values together (then they merge exactly at the end); the first shard
 * that breaks this turns the column into a sketch, which takes every shard so far, in order, then the rest.
 */
class ColumnMerger {
  private kind: Pick<ColumnProfile, 'name' | 'type'> | undefined;
  private merged: ColumnProfile | undefined;
  private exact: ExactNumericColumnProfile[] = [];
  private values = 0;
  private sketches: NumericSketchMerger | undefined;

  add(column: ColumnProfile): void {
    this.kind ??= column;
    if (column.type !== this.kind.type) throw differentTypes(this.kind, column);
    if (column.type === 'categorical') {
      this.merged = this.merged === undefined ? column : mergeColumn(this.merged, column);
      return;
    }
    if (this.sketches === undefined && column.sketch === undefined) {
      this.values += column.numeric.count;
      if (this.values <= EXACT_MAX_VALUES) {
        this.exact.push(column);
        return;
      }
    }
    if (this.sketches === undefined) {
      this.sketches = new NumericSketchMerger(this.kind.name);
      for (const shard of this.exact) this.sketches.add(sketchOf(shard));
      this.exact = [];
    }
    this.sketches.add(sketchOf(column));
  }

  result(): ColumnProfile {
    if (this.sketches !== undefined) {
      return { name: this.kind?.name ?? '', type: 'numeric', sketch: this.sketches.result() };
    }
    const [first, ...rest] = this.exact;
    return this.merged ?? rest.reduce<ColumnProfile>(mergeColumn, first as ColumnProfile);
  }
}

/** The profile of `a`'s rows followed by `b`'s: counts add, sorted values merge, categories unite by name. */
export function mergeDatasetProfiles(a: DatasetProfile, b: DatasetProfile): DatasetProfile {
  requireSameColumns(a, b);
  return {
    rows: a.rows + b.rows,
    skippedBadRows: a.skippedBadRows + b.skippedBadRows,
    fileColumns: a.fileColumns,
    columns: a.columns.map((column, i) => mergeColumn(column, b.columns[i] as ColumnProfile)),
  };
}

function requireSameColumns(a: DatasetProfile, b: DatasetProfile): void {
  const names = a.columns.map((column) => column.name);
  if (names.join('\n') !== b.columns.map((column) => column.name).join('\n')) {
    throw new UserFacingError(
      `Profiles of different columns cannot be merged (${names.join(', ')} vs ${b.columns.map((column) => column.name).join(', ')}); profile every shard with the same columns.`,
    );
  }
}

function mergeColumn(a: ColumnProfile, b: ColumnProfile): ColumnProfile {
  if (a.type === 'numeric' && b.type === 'numeric') {
    if (a.sketch === undefined && b.sketch === undefined) {
      return boundNumeric({ ...a, numeric: mergeProfiles(a.numeric, b.numeric) });
    }
    return {
      name: a.name,
      type: 'numeric',
      sketch: mergeNumericSketches([sketchOf(a), sketchOf(b)], a.name),
    };
  }
  if (a.type === 'categorical' && b.type === 'categorical') return mergeCategoryColumns(a, b);
  throw differentTypes(a, b);
}

function differentTypes(
  a: Pick<ColumnProfile, 'name' | 'type'>,
  b: Pick<ColumnProfile, 'type'>,
): UserFacingError {
  return new UserFacingError(
    `Column '${a.name}' is ${a.type} in one profile and ${b.type} in the other; profile every shard with the same column types (e.g. columnTypes: {"${a.name}": "categorical"}).`,
  );
}
