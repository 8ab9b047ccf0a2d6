import { rankBiasedOverlap as rankBiasedOverlapOfIds } from './agreement';

/**
 * How much two rankers' lists for the same request agree, from the lists alone. Shadow releases compare the
 * champion's served list with the challenger's mirrored one; a paired offline comparison can use the same.
 */

/** |top-k of a ∩ top-k of b| / |top-k of a ∪ top-k of b|; two empty lists agree fully (1). */
export function jaccardAtK(a: readonly string[], b: readonly string[], k: number): number {
  const left = new Set(a.slice(0, k));
  const right = new Set(b.slice(0, k));
  let shared = 0;
  for (const item of left) if (right.has(item)) shared++;
  const union = left.size + right.size - shared;
  return union === 0 ? 1 : shared / union;
}

/** Whether the two top-k lists are the same items in the same order. */
export function identicalTopK(a: readonly string[], b: readonly string[], k: number): boolean {
  const left = a.slice(0, k);
  const right = b.slice(0, k);
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

/**
 * Rank-biased overlap (extrapolated, see {@link rankBiasedOverlapOfIds}) of two served lists of item labels, both
 * cut at the same depth: `k`, or the shorter list's length. Two empty lists agree fully (1).
 */
export function rankBiasedOverlap(a: readonly string[], b: readonly string[], p: number, k: number): number {
  const depth = Math.min(k, a.length, b.length);
  if (depth === 0) return a.length === b.length ? 1 : 0;
  const ids = new Map<string, number>();
  const idOf = (item: string) => ids.get(item) ?? (ids.set(item, ids.size), ids.size - 1);
  return rankBiasedOverlapOfIds(a.slice(0, depth).map(idOf), b.slice(0, depth).map(idOf), p);
}
