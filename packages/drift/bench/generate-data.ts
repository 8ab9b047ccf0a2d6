// Writes the benchmark's reference and current CSVs (deterministic: a seeded generator, fixed decimals).
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { seededRandom } from '@recsys-actions/testkit';

export const NUMERIC_COLUMNS = 10;
export const CATEGORICAL_COLUMNS = 10;

/**
 * Version of the data {@link writeDataset} writes, in the file names, so a cache of an older generator is never
 * reused. Version 1 drew from a 32-bit xorshift variant whose period was short: its 1 M-row files held 585 distinct
 * rows, so every numeric column had under 1000 distinct values. Version 2 draws from mulberry32 (period 2^32).
 */
export const DATA_VERSION = 2;

/** Uniform draws in (0, 1): never 0, as the shapes below take logarithms. */
function uniformSource(seed: number): () => number {
  const draw = seededRandom(seed);
  return () => draw() + 2 ** -33;
}

type Draw = (uniform: () => number) => number;

const normal: Draw = (u) => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());

/** Ten shapes a feature store holds: symmetric, skewed, heavy-tailed, bounded, counts, bimodal. */
function numericDraws(shift: number): Draw[] {
  return [
    (u) => 50 + 10 * normal(u) + shift * 2,
    (u) => Math.exp(1 + 0.8 * normal(u) + shift * 0.1),
    (u) => u() * 100 + shift * 3,
    (u) => -Math.log(u()) * (5 + shift),
    (u) => Math.floor(-Math.log(u()) * (3 + shift * 0.2)),
    (u) => (u() < 0.3 + shift * 0.05 ? -2 : 2) + normal(u),
    (u) => normal(u) / Math.max(0.05, Math.abs(normal(u))),
    (u) => Math.floor(u() * 24),
    (u) => u() ** (2 + shift),
    (u) => 1000 * normal(u) * (1 + shift * 0.02),
  ];
}

const LEVELS = [5, 8, 12, 20, 35, 60, 100, 180, 300, 500];

/** Zipf(s = 1.1) over `levels` categories by inverse CDF on a precomputed table. */
function zipfDraw(levels: number, shift: number): Draw {
  const weights = Array.from({ length: levels }, (_, k) => 1 / (k + 1 + shift * 0.5) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = Float64Array.from(
    weights,
    (
      (sum) => (weight: number) =>
        (sum += weight / total)
    )(0),
  );
  return (u) => {
    const x = u();
    let low = 0;
    let high = levels - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] as number) < x) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

/** Writes `rows` rows unless the file exists already (delete `.bench/drift` to regenerate). */
export function writeDataset(path: string, rows: number, seed: number, shift: number): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const uniform = uniformSource(seed);
  const numeric = numericDraws(shift);
  const categorical = LEVELS.map((levels) => zipfDraw(levels, shift));
  const header = [...numeric.map((_, i) => `num_${i}`), ...categorical.map((_, i) => `cat_${i}`)].join(',');
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  writeSync(fd, `${header}\n`);
  let chunk: string[] = [];
  for (let row = 0; row < rows; row++) {
    const fields = numeric.map((draw) => draw(uniform).toFixed(4));
    for (const [i, draw] of categorical.entries()) fields.push(`c${i}_${draw(uniform)}`);
    chunk.push(fields.join(','));
    if (chunk.length === 10_000 || row === rows - 1) {
      writeSync(fd, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  closeSync(fd);
  renameSync(partial, path);
}
