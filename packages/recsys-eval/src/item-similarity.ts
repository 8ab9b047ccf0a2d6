import type { TrainStats } from './train';

/** Past this many cached pair similarities the cache starts over, bounding memory on huge catalogues. */
const MAX_CACHED_PAIRS = 4_000_000;

/**
 * Microsoft Recommenders' co-occurrence similarity of two items (Zhang et al., Auralist, WSDM 2012):
 * |users of both| / sqrt(|users of a| · |users of b|) over distinct train users; 1 for an item with itself, 0 when
 * either item has no train users. Pairs are cached; a miss merges two sorted user lists.
 */
export function cooccurrenceSimilarity(train: TrainStats): (a: number, b: number) => number {
  const itemSpan = Math.max(train.itemRows.length, 1);
  const cache = new Map<number, number>();
  return (a, b) => {
    const key = a < b ? a * itemSpan + b : b * itemSpan + a;
    let value = cache.get(key);
    if (value === undefined) {
      value = cosine(train, a, b);
      if (cache.size >= MAX_CACHED_PAIRS) cache.clear();
      cache.set(key, value);
    }
    return value;
  };
}

function cosine(train: TrainStats, a: number, b: number): number {
  if (a >= train.itemRows.length || b >= train.itemRows.length) return 0;
  let i = train.userOffsets[a] as number;
  const iEnd = train.userOffsets[a + 1] as number;
  let j = train.userOffsets[b] as number;
  const jEnd = train.userOffsets[b + 1] as number;
  const sizes = (iEnd - i) * (jEnd - j);
  if (sizes === 0) return 0;
  let shared = 0;
  while (i < iEnd && j < jEnd) {
    const u = train.itemUsers[i] as number;
    const v = train.itemUsers[j] as number;
    if (u === v) {
      shared++;
      i++;
      j++;
    } else if (u < v) i++;
    else j++;
  }
  return shared / Math.sqrt(sizes);
}
