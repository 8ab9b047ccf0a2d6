// Distances between two share vectors over the same bins (see `numericShares` / `categoryShares`, which also
// replace zero shares). All logarithms are natural.

function checkAligned(p: Float64Array, q: Float64Array, name: string): void {
  if (p.length !== q.length || p.length === 0) {
    throw new RangeError(
      `${name} needs two non-empty share vectors of equal length (${p.length} vs ${q.length})`,
    );
  }
}

function normalised(shares: Float64Array): Float64Array {
  let sum = 0;
  for (const share of shares) sum += share;
  return shares.map((share) => share / sum);
}

/** Both vectors checked for `name` and normalised to sum to 1, as the divergences below compare them. */
function normalisedPair(
  reference: Float64Array,
  current: Float64Array,
  name: string,
): [p: Float64Array, q: Float64Array] {
  checkAligned(reference, current, name);
  return [normalised(reference), normalised(current)];
}

/** p·ln(p/q) with SciPy's `rel_entr` conventions: 0 when p = 0, +∞ when only q is 0. */
function relativeEntropyTerm(p: number, q: number): number {
  if (p === 0) return 0;
  return q === 0 ? Infinity : p * Math.log(p / q);
}

/** Population Stability Index Σ (q_i - p_i) · ln(q_i / p_i), p = reference shares, q = current shares. */
export function populationStabilityIndex(reference: Float64Array, current: Float64Array): number {
  checkAligned(reference, current, 'PSI');
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    psi +=
      ((current[i] as number) - (reference[i] as number)) *
      Math.log((current[i] as number) / (reference[i] as number));
  }
  return psi;
}

/**
 * Kullback-Leibler divergence D(reference ‖ current) = Σ p_i ln(p_i / q_i) after normalising both vectors to sum
 * to 1, exactly as `scipy.stats.entropy(reference, current)` does (zero filling leaves sums slightly above 1).
 */
export function klDivergence(reference: Float64Array, current: Float64Array): number {
  const [p, q] = normalisedPair(reference, current, 'KL divergence');
  let divergence = 0;
  for (let i = 0; i < p.length; i++) divergence += relativeEntropyTerm(p[i] as number, q[i] as number);
  return divergence;
}

/**
 * Jensen-Shannon distance sqrt((D(p ‖ m) + D(q ‖ m)) / 2), m = (p + q) / 2, both vectors normalised first:
 * `scipy.spatial.distance.jensenshannon(reference, current)` with its default natural base. Lies in [0, sqrt(ln 2)].
 */
export function jensenShannonDistance(reference: Float64Array, current: Float64Array): number {
  const [p, q] = normalisedPair(reference, current, 'Jensen-Shannon distance');
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const m = ((p[i] as number) + (q[i] as number)) / 2;
    divergence += relativeEntropyTerm(p[i] as number, m) + relativeEntropyTerm(q[i] as number, m);
  }
  return Math.sqrt(Math.max(0, divergence / 2));
}

/** Hellinger distance sqrt(Σ (√p_i - √q_i)² / 2) on the normalised vectors; lies in [0, 1]. */
export function hellingerDistance(reference: Float64Array, current: Float64Array): number {
  const [p, q] = normalisedPair(reference, current, 'Hellinger distance');
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const gap = Math.sqrt(p[i] as number) - Math.sqrt(q[i] as number);
    sum += gap * gap;
  }
  return Math.sqrt(sum / 2);
}
