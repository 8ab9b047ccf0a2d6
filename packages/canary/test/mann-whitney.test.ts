import { readFileSync } from 'node:fs';
import { mannWhitneyU } from '../src/stats/mann-whitney';
import { normalSf } from '@recsys-actions/stats';

// Made by fixtures/generate-mann-whitney.py with SciPy; see the script for how to re-run it.
const reference = JSON.parse(
  readFileSync(new URL('./fixtures/mann-whitney.json', import.meta.url), 'utf8'),
) as {
  cases: { label: string; x: number[]; y: number[]; u: number; pValue: number }[];
  normalSurvival: [number, number][];
};

describe('mannWhitneyU', () => {
  it.each(reference.cases.map((c) => [c.label, c] as const))('matches SciPy: %s', (_label, c) => {
    const result = mannWhitneyU(c.x, c.y);
    expect(result.u).toBe(c.u);
    expect(result.pValue).toBeCloseTo(c.pValue, 12);
    expect(Math.abs(result.pValue - c.pValue)).toBeLessThanOrEqual(1e-10 * c.pValue);
  });

  it('refuses an empty sample', () => {
    expect(() => mannWhitneyU([], [1])).toThrow('two non-empty samples');
  });
});

describe('normalSurvival', () => {
  it.each(reference.normalSurvival)('matches SciPy at z = %d', (z, expected) => {
    expect(Math.abs(normalSf(z) - expected)).toBeLessThanOrEqual(1e-12 * expected);
  });
});
