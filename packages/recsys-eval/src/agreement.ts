import { ConfigError } from '@recsys-actions/core';

/** How much two models' top-k lists agree at one cut-off, over the users both recommended to. */
export interface AgreementAtK {
  readonly k: number;
  /** Mean over users of |A ∩ B| / |A ∪ B| of the two top-k item sets. */
  readonly jaccard: number;
  /** Mean over users of the extrapolated rank-biased overlap of the two top-k lists. */
  readonly rbo: number;
  /** Share of users whose two top-k lists hold the same items in the same order. */
  readonly identical: number;
  /** Distinct items the top-k lists reach (catalogue coverage), and the items one model reaches and not the other. */
  readonly coverage: {
    readonly challenger: number;
    readonly baseline: number;
    /** Items only the challenger recommends: gained by switching to it. */
    readonly gained: number;
    /** Items only the champion recommends: lost by switching. */
    readonly lost: number;
  };
}

/** A persistence p of 1 or more weighs every depth equally and never converges; 0 or less looks at nothing. */
export function checkRboPersistence(field: string, p: number): void {
  if (!(p > 0 && p < 1)) throw new ConfigError(field, `must lie strictly between 0 and 1, got ${p}`, '0.9');
}

/**
 * Overlaps X_d = |A[:min(d, |A|)] ∩ B[:min(d, |B|)]| for d = 1 .. max(|A|, |B|), written to `overlaps[d]`.
 * `seen` is scratch space per item, 0 on entry and left 0: bit 1 marks A's items, bit 2 B's.
 */
function prefixOverlaps(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  seen: Uint8Array,
  overlaps: Float64Array,
): void {
  let overlap = 0;
  const depth = Math.max(a.length, b.length);
  for (let d = 1; d <= depth; d++) {
    const fromA = d <= a.length ? (a[d - 1] as number) : -1;
    const fromB = d <= b.length ? (b[d - 1] as number) : -1;
    if (fromA >= 0) {
      if ((seen[fromA] as number) & 2) overlap++;
      seen[fromA] = (seen[fromA] as number) | 1;
    }
    if (fromB >= 0) {
      if ((seen[fromB] as number) & 1) overlap++;
      seen[fromB] = (seen[fromB] as number) | 2;
    }
    overlaps[d] = overlap;
  }
  for (let d = 0; d < a.length; d++) seen[a[d] as number] = 0;
  for (let d = 0; d < b.length; d++) seen[b[d] as number] = 0;
}

/**
 * Webber, Moffat and Zobel's extrapolated rank-biased overlap (2010, eq. 32) of two lists cut at lengths s ≤ l,
 * from their prefix overlaps: it assumes the agreement seen so far continues past the lists' ends, so two
 * identical lists score 1 and two disjoint ones 0.
 */
function extrapolatedRbo(overlaps: Float64Array, s: number, l: number, p: number): number {
  let sum = 0;
  let weight = 1;
  const xs = overlaps[s] as number;
  for (let d = 1; d <= l; d++) {
    weight *= p;
    sum += ((overlaps[d] as number) / d) * weight;
    if (d > s) sum += ((xs * (d - s)) / (s * d)) * weight;
  }
  const xl = overlaps[l] as number;
  return ((1 - p) / p) * sum + ((xl - xs) / l + xs / s) * weight;
}

/** Rank-biased overlap of two ranked lists of distinct non-negative item ids, with persistence p. */
export function rankBiasedOverlap(a: ArrayLike<number>, b: ArrayLike<number>, p: number): number {
  checkRboPersistence('p', p);
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, a[i] as number);
  for (let i = 0; i < b.length; i++) largest = Math.max(largest, b[i] as number);
  const overlaps = new Float64Array(Math.max(a.length, b.length) + 1);
  prefixOverlaps(a, b, new Uint8Array(largest + 1), overlaps);
  return extrapolatedRbo(overlaps, Math.min(a.length, b.length), Math.max(a.length, b.length), p);
}

/** Each user's two lists as slices of item arrays, the way RankedLists stores them. */
export interface ListPair {
  readonly challenger: Int32Array;
  readonly baseline: Int32Array;
  readonly challengerStart: number;
  readonly challengerEnd: number;
  readonly baselineStart: number;
  readonly baselineEnd: number;
}

/** Sums agreement over users one list pair at a time, then reports the means per cut-off. */
export class AgreementAccumulator {
  private readonly seen: Uint8Array;
  private readonly reached: Uint8Array;
  private readonly overlaps: Float64Array;
  private readonly jaccard: Float64Array;
  private readonly rbo: Float64Array;
  private readonly identical: Float64Array;
  private users = 0;

  constructor(
    private readonly cutoffs: readonly number[],
    private readonly itemCount: number,
    private readonly p: number,
  ) {
    this.seen = new Uint8Array(itemCount);
    // One byte per (cut-off, item) would be cutoffs × items; a bit per model and cut-off fits 4 cut-offs a byte.
    this.reached = new Uint8Array(itemCount * Math.ceil(cutoffs.length / 4));
    this.overlaps = new Float64Array((cutoffs[cutoffs.length - 1] as number) + 1);
    this.jaccard = new Float64Array(cutoffs.length);
    this.rbo = new Float64Array(cutoffs.length);
    this.identical = new Float64Array(cutoffs.length);
  }

  add(pair: ListPair): void {
    const maxK = this.cutoffs[this.cutoffs.length - 1] as number;
    const a = pair.challenger.subarray(
      pair.challengerStart,
      Math.min(pair.challengerEnd, pair.challengerStart + maxK),
    );
    const b = pair.baseline.subarray(
      pair.baselineStart,
      Math.min(pair.baselineEnd, pair.baselineStart + maxK),
    );
    prefixOverlaps(a, b, this.seen, this.overlaps);
    this.users++;
    let samePrefix = 0;
    while (samePrefix < a.length && samePrefix < b.length && a[samePrefix] === b[samePrefix]) samePrefix++;
    for (const [cut, k] of this.cutoffs.entries()) {
      const lengthA = Math.min(k, a.length);
      const lengthB = Math.min(k, b.length);
      const s = Math.min(lengthA, lengthB);
      const l = Math.max(lengthA, lengthB);
      const overlap = this.overlaps[l] as number;
      this.jaccard[cut] = (this.jaccard[cut] as number) + overlap / (lengthA + lengthB - overlap);
      this.rbo[cut] = (this.rbo[cut] as number) + extrapolatedRbo(this.overlaps, s, l, this.p);
      if (lengthA === lengthB && samePrefix >= lengthA)
        this.identical[cut] = (this.identical[cut] as number) + 1;
      this.markReached(a, lengthA, cut, 1);
      this.markReached(b, lengthB, cut, 2);
    }
  }

  result(): AgreementAtK[] {
    return this.cutoffs.map((k, cut) => ({
      k,
      jaccard: this.mean(this.jaccard, cut),
      rbo: this.mean(this.rbo, cut),
      identical: this.mean(this.identical, cut),
      coverage: this.coverage(cut),
    }));
  }

  private mean(sums: Float64Array, cut: number): number {
    return this.users === 0 ? 0 : (sums[cut] as number) / this.users;
  }

  private markReached(list: Int32Array, length: number, cut: number, model: 1 | 2): void {
    const bit = model << (2 * (cut % 4));
    const base = Math.floor(cut / 4) * this.itemCount;
    for (let rank = 0; rank < length; rank++) {
      const at = base + (list[rank] as number);
      this.reached[at] = (this.reached[at] as number) | bit;
    }
  }

  private coverage(cut: number): AgreementAtK['coverage'] {
    const shift = 2 * (cut % 4);
    const base = Math.floor(cut / 4) * this.itemCount;
    const counts = { challenger: 0, baseline: 0, gained: 0, lost: 0 };
    for (let item = 0; item < this.itemCount; item++) {
      const marks = ((this.reached[base + item] as number) >> shift) & 3;
      if (marks & 1) counts.challenger++;
      if (marks & 2) counts.baseline++;
      if (marks === 1) counts.gained++;
      if (marks === 2) counts.lost++;
    }
    return counts;
  }
}
