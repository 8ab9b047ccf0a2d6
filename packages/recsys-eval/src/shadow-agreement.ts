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
 * Rank-biased overlap, extrapolated (RBO_ext of Webber, Moffat and Zobel, 2010), of the two lists cut at
 * depth `k` (and at the shorter list's length): the agreement at each depth d is the overlap X_d / d, weighted
 * by p^(d-1), with the agreement at the last depth assumed to continue. 1 for identical lists, 0 for disjoint.
 * Two empty lists agree fully (1).
 */
export function rankBiasedOverlap(a: readonly string[], b: readonly string[], p: number, k: number): number {
  const depth = Math.min(k, a.length, b.length);
  if (depth === 0) return a.length === b.length ? 1 : 0;
  const seenLeft = new Set<string>();
  const seenRight = new Set<string>();
  let overlap = 0;
  let sum = 0;
  for (let d = 1; d <= depth; d++) {
    const left = a[d - 1] as string;
    const right = b[d - 1] as string;
    if (left === right) overlap++;
    else {
      if (seenRight.has(left)) overlap++;
      if (seenLeft.has(right)) overlap++;
    }
    seenLeft.add(left);
    seenRight.add(right);
    sum += (overlap / d) * p ** d;
  }
  return (overlap / depth) * p ** depth + ((1 - p) / p) * sum;
}
