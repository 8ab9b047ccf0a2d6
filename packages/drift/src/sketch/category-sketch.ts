import type { CategoryProfile } from '@recsys-actions/stats';
import { EXACT_MAX_VALUES } from '../options';
import type { CategoricalColumnProfile } from '../profile';

/** A categorical column keeps every category up to this many; beyond (and above 1 M values), the largest ones. */
export const CATEGORY_LIMIT = 10_000;

/**
 * What a categorical column left out once it outgrew {@link CATEGORY_LIMIT} categories and 1 M values: the
 * values of the dropped categories (counted exactly), and how far any listed count can be below the truth.
 * For every category c: listed(c) ≤ true(c) ≤ listed(c) + countError (listed(c) = 0 for one not listed). A single
 * pass keeps exact counts, so the error is the largest dropped count; merges add the two errors, and each
 * truncation adds the largest count it drops (a mergeable heavy-hitters summary with a deterministic bound).
 */
export interface CategoryRemainder {
  readonly count: number;
  readonly countError: number;
}

/** The column's counts laid out on `categories` (a superset of its own), zero where it never saw one. */
export function alignCounts(
  column: CategoricalColumnProfile,
  categories: readonly string[],
): CategoryProfile {
  const position = new Map(column.categories.map((name, i) => [name, i]));
  const counts = new Uint32Array(categories.length);
  for (const [i, name] of categories.entries()) {
    const own = position.get(name);
    if (own !== undefined) counts[i] = column.counts.counts[own] as number;
  }
  return { counts, missing: column.counts.missing };
}

const valuesOf = (column: CategoricalColumnProfile): number =>
  column.counts.counts.reduce((sum: number, count: number) => sum + count, 0) + (column.other?.count ?? 0);

/** The column as kept: every category, or the {@link CATEGORY_LIMIT} largest and a remainder. */
export function boundCategories(column: CategoricalColumnProfile): CategoricalColumnProfile {
  if (column.categories.length <= CATEGORY_LIMIT) return column;
  if (column.other === undefined && valuesOf(column) <= EXACT_MAX_VALUES) return column;
  const order = column.categories.map((_, i) => i);
  const counts = column.counts.counts;
  order.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  const kept = order.slice(0, CATEGORY_LIMIT);
  const dropped = order.slice(CATEGORY_LIMIT);
  const droppedCount = dropped.reduce((sum, i) => sum + (counts[i] as number), 0);
  return {
    ...column,
    categories: kept.map((i) => column.categories[i] as string),
    counts: { counts: Uint32Array.from(kept, (i) => counts[i] as number), missing: column.counts.missing },
    other: {
      count: (column.other?.count ?? 0) + droppedCount,
      countError: (column.other?.countError ?? 0) + (counts[dropped[0] as number] as number),
    },
  };
}

/** The column of both inputs' values: categories unite by name, counts add, then {@link boundCategories}. */
export function mergeCategoryColumns(
  a: CategoricalColumnProfile,
  b: CategoricalColumnProfile,
): CategoricalColumnProfile {
  const known = new Set(a.categories);
  const categories = [...a.categories, ...b.categories.filter((name) => !known.has(name))];
  const left = alignCounts(a, categories).counts;
  const right = alignCounts(b, categories).counts;
  const other =
    a.other === undefined && b.other === undefined
      ? undefined
      : {
          count: (a.other?.count ?? 0) + (b.other?.count ?? 0),
          countError: (a.other?.countError ?? 0) + (b.other?.countError ?? 0),
        };
  return boundCategories({
    name: a.name,
    type: 'categorical',
    categories,
    counts: {
      counts: left.map((count, i) => count + (right[i] as number)),
      missing: a.counts.missing + b.counts.missing,
    },
    ...(other === undefined ? {} : { other }),
  });
}
