import { DataError } from '@recsys-actions/core';
import { SortedSample } from '@recsys-actions/stats';
import { z } from 'zod';
import {
  numericProfileOf,
  type ColumnProfile,
  type DatasetProfile,
  type NumericColumnProfile,
} from './profile';
import type { CategoricalColumnProfile } from './profile';
import type { NumericSketch } from './sketch/numeric-sketch';
import { QuantileSketch } from './sketch/quantile-sketch';

/** The profile format's name and version; the reference cache key includes the version. */
export const PROFILE_FORMAT = 'recsys-drift-profile';
export const PROFILE_FORMAT_VERSION = 2;

/** Float64 arrays travel as base64 of their little-endian bytes; a plain JSON number array is accepted too. */
const floats = z.union([z.string(), z.array(z.number())]);

const numericColumn = z.strictObject({
  name: z.string(),
  type: z.literal('numeric'),
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  sum: z.number().optional(),
  m2: z.number().nonnegative().optional(),
  values: floats.optional(),
  sketch: z
    .strictObject({
      k: z.number().int().min(2),
      rankErrorBound: z.number().nonnegative(),
      levels: z.array(floats),
    })
    .optional(),
  quantiles: z.strictObject({ values: floats, epsilon: z.number().min(0).max(1) }).optional(),
  distinct: z.strictObject({ values: z.array(z.number()), counts: z.array(z.number()) }).optional(),
});

const categoricalColumn = z.strictObject({
  name: z.string(),
  type: z.literal('categorical'),
  missing: z.number().int().nonnegative(),
  categories: z.array(z.string()),
  counts: z.array(z.number().int().nonnegative()),
  other: z.strictObject({ count: z.number().nonnegative(), countError: z.number().nonnegative() }).optional(),
});

const profileSchema = z.strictObject({
  format: z.literal(PROFILE_FORMAT),
  version: z.number(),
  rows: z.number().int().nonnegative(),
  skippedBadRows: z.number().int().nonnegative().default(0),
  fileColumns: z.array(z.string()).optional(),
  columns: z.array(z.discriminatedUnion('type', [numericColumn, categoricalColumn])),
});

type NumericJson = z.infer<typeof numericColumn>;
type CategoricalJson = z.infer<typeof categoricalColumn>;

const encode = (values: Float64Array): string =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');

/** Base64 decodes straight into a buffer of its own (aligned for float64); trailing bytes short of 8 are dropped. */
function decode(value: string | number[]): Float64Array {
  if (Array.isArray(value)) return Float64Array.from(value);
  const bytes = Buffer.from(new ArrayBuffer(Buffer.byteLength(value, 'base64')));
  const written = bytes.write(value, 'base64');
  return new Float64Array(bytes.buffer, 0, Math.floor(written / 8));
}

/**
 * A profile as JSON text (UTF-8 bytes), for a cache, an artifact or a file a warehouse job writes. Documented in
 * the package README ("Profile format"); exact columns keep their sorted values, sketched ones their compactors.
 */
export function serializeProfile(profile: DatasetProfile): Uint8Array {
  const json = {
    format: PROFILE_FORMAT,
    version: PROFILE_FORMAT_VERSION,
    rows: profile.rows,
    skippedBadRows: profile.skippedBadRows,
    fileColumns: profile.fileColumns,
    columns: profile.columns.map((column) =>
      column.type === 'numeric' ? numericJson(column) : categoricalJson(column),
    ),
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

function numericJson(column: NumericColumnProfile): NumericJson {
  if (column.sketch === undefined) {
    return { ...numericHead(column.name, column.numeric), values: encode(column.numeric.sorted.values) };
  }
  const { sum, m2, quantiles, distinct } = column.sketch;
  const form =
    quantiles instanceof QuantileSketch
      ? { sketch: sketchJson(quantiles) }
      : { quantiles: { values: encode(quantiles.values), epsilon: quantiles.epsilon } };
  return {
    ...numericHead(column.name, column.sketch),
    sum,
    m2,
    ...form,
    ...(distinct === undefined
      ? {}
      : { distinct: { values: [...distinct.keys()], counts: [...distinct.values()] } }),
  };
}

/** What both numeric forms store first; JSON has no Infinity, so a column without values stores null extremes. */
function numericHead(
  name: string,
  { count, missing, min, max }: { count: number; missing: number; min: number; max: number },
) {
  return {
    name,
    type: 'numeric' as const,
    count,
    missing,
    min: Number.isFinite(min) ? min : null,
    max: Number.isFinite(max) ? max : null,
  };
}

function sketchJson(sketch: QuantileSketch): NonNullable<NumericJson['sketch']> {
  const state = sketch.state();
  return { k: state.k, rankErrorBound: state.rankErrorBound, levels: state.levels.map(encode) };
}

function categoricalJson(column: CategoricalColumnProfile): CategoricalJson {
  return {
    name: column.name,
    type: 'categorical',
    missing: column.counts.missing,
    categories: [...column.categories],
    counts: [...column.counts.counts],
    ...(column.other === undefined ? {} : { other: column.other }),
  };
}

/**
 * Reads a profile written by {@link serializeProfile} or by hand (a warehouse job). `source` names the file in
 * errors, each of which names the field: another format version, a malformed field, a column in two forms.
 */
export function deserializeProfile(bytes: Uint8Array, source = 'the profile'): DatasetProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new DataError(source, `is not a drift profile (JSON with "format": "${PROFILE_FORMAT}")`);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof raw === 'object' && raw !== null && version !== PROFILE_FORMAT_VERSION && 'format' in raw) {
    throw new DataError(
      source,
      `field 'version' is ${JSON.stringify(version)}, but this drift-check reads profile format version ${PROFILE_FORMAT_VERSION}; write the profile again with this version (profile-only: true)`,
    );
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new DataError(source, `field '${issue.path.join('.') || '(top level)'}': ${issue.message}`);
  }
  const columns = parsed.data.columns.map((column, i) =>
    column.type === 'numeric' ? numericColumnOf(column, source, i) : categoricalColumnOf(column, source, i),
  );
  return {
    rows: parsed.data.rows,
    skippedBadRows: parsed.data.skippedBadRows,
    fileColumns: parsed.data.fileColumns ?? columns.map((column) => column.name),
    columns,
  };
}

function numericColumnOf(column: NumericJson, source: string, index: number): ColumnProfile {
  const field = `columns.${index}`;
  const forms = [column.values, column.sketch, column.quantiles].filter((form) => form !== undefined);
  if (forms.length !== 1) {
    throw new DataError(
      source,
      `field '${field}' (column '${column.name}') needs exactly one of values, sketch or quantiles`,
    );
  }
  const min = column.min ?? Infinity;
  const max = column.max ?? -Infinity;
  if (column.values !== undefined) {
    const values = decode(column.values);
    requireCount(values.length === column.count, source, `${field}.values`, column);
    const sorted = SortedSample.ofSorted(values, `${source} column '${column.name}'`);
    return { name: column.name, type: 'numeric', numeric: numericProfileOf(sorted, column.missing) };
  }
  if (column.sum === undefined || column.m2 === undefined) {
    throw new DataError(
      source,
      `field '${field}' (column '${column.name}') needs sum and m2 (Σ(x − mean)², e.g. VAR_POP(x) * COUNT(x)) beside a sketch or quantiles`,
    );
  }
  const sketch: NumericSketch = {
    count: column.count,
    missing: column.missing,
    min,
    max,
    sum: column.sum,
    m2: column.m2,
    quantiles: quantilesOf(column, source, field),
    ...(column.distinct === undefined ? {} : { distinct: distinctOf(column.distinct) }),
  };
  return { name: column.name, type: 'numeric', sketch };
}

/** The counts by value (a value listed twice keeps its last count; a missing count is 0). */
function distinctOf({ values, counts }: { values: number[]; counts: number[] }): Map<number, number> {
  const distinct = new Map<number, number>();
  for (let i = 0; i < values.length; i++) distinct.set(values[i] as number, counts[i] ?? 0);
  return distinct;
}

function quantilesOf(column: NumericJson, source: string, field: string): NumericSketch['quantiles'] {
  if (column.sketch !== undefined) {
    const sketch = QuantileSketch.fromState({
      k: column.sketch.k,
      count: column.count,
      rankErrorBound: column.sketch.rankErrorBound,
      levels: column.sketch.levels.map(decode),
    });
    requireCount(sketch.retainedWeight() === column.count, source, `${field}.sketch.levels`, column);
    return sketch;
  }
  const values = decode(column.quantiles?.values ?? []);
  if (values.length < 2 || values.some((value, i) => i > 0 && value < (values[i - 1] as number))) {
    throw new DataError(
      source,
      `field '${field}.quantiles.values' (column '${column.name}') must hold at least 2 quantiles in ascending order (probabilities 0, 1/(m−1), …, 1)`,
    );
  }
  return { kind: 'quantile-list', values, epsilon: column.quantiles?.epsilon ?? 0 };
}

function requireCount(ok: boolean, source: string, field: string, column: NumericJson): void {
  if (!ok) {
    throw new DataError(
      source,
      `field '${field}' (column '${column.name}') does not add up to its count ${column.count}`,
    );
  }
}

function categoricalColumnOf(column: CategoricalJson, source: string, index: number): ColumnProfile {
  if (column.categories.length !== column.counts.length) {
    throw new DataError(
      source,
      `field 'columns.${index}.counts' (column '${column.name}') has ${column.counts.length} counts for ${column.categories.length} categories`,
    );
  }
  return {
    name: column.name,
    type: 'categorical',
    categories: column.categories,
    counts: { counts: Uint32Array.from(column.counts), missing: column.missing },
    ...(column.other === undefined ? {} : { other: column.other }),
  };
}
