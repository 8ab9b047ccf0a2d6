import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export interface ExpectedColumn {
  method: string;
  statistic: number;
  pValue?: number;
}

export interface ExpectedCase {
  rows: { reference: number; current: number };
  columns: Record<string, ExpectedColumn>;
  ageMissingShare: number;
  ageOutOfRange: number;
}

/** Values computed by fixtures/generate.py with SciPy / pandas. */
export const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8'), (_, value: unknown) =>
  value === 'inf' ? Infinity : value,
) as {
  small: ExpectedCase;
  large: ExpectedCase;
  overrides: Record<string, ExpectedColumn>;
};

/** Agreement within `tolerance`, absolutely or relatively, whichever is looser. */
export function expectClose(actual: number | undefined, wanted: number, tolerance: number): void {
  if (actual === undefined) throw new Error(`expected ${wanted}, got undefined`);
  if (!Number.isFinite(wanted) && actual === wanted) return;
  const allowed = tolerance * Math.max(1, Math.abs(wanted));
  if (!(Math.abs(actual - wanted) <= allowed)) throw new Error(`expected ${wanted}, got ${actual}`);
}

/** p-values must agree in their leading digits even when tiny. */
export function expectRelativelyClose(actual: number | undefined, wanted: number, tolerance: number): void {
  if (actual === undefined) throw new Error(`expected ${wanted}, got undefined`);
  if (!(Math.abs(actual - wanted) <= tolerance * Math.abs(wanted)))
    throw new Error(`expected ${wanted}, got ${actual}`);
}
