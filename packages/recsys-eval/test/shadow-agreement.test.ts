import { readFileSync } from 'node:fs';
import { identicalTopK, jaccardAtK, rankBiasedOverlap } from '../src/shadow-agreement';

interface Case {
  a: string[];
  b: string[];
  k: number;
  p: number;
  rbo: number;
  jaccard: number;
  identical: boolean;
}

// Made by fixtures/make_shadow_agreement_reference.py from the paper's definition (prefix overlaps as sets).
const cases = JSON.parse(
  readFileSync(new URL('fixtures/agreement/reference.json', import.meta.url), 'utf8'),
) as Case[];

describe('list agreement against the Python reference', () => {
  it.each(cases.map((c, index) => [index, c] as const))('case %i', (_index, c) => {
    expect(rankBiasedOverlap(c.a, c.b, c.p, c.k)).toBeCloseTo(c.rbo, 12);
    expect(jaccardAtK(c.a, c.b, c.k)).toBeCloseTo(c.jaccard, 12);
    expect(identicalTopK(c.a, c.b, c.k)).toBe(c.identical);
  });

  it('gives 1 for identical lists and 0 for disjoint ones', () => {
    expect(rankBiasedOverlap(['a', 'b', 'c'], ['a', 'b', 'c'], 0.9, 10)).toBeCloseTo(1, 12);
    expect(rankBiasedOverlap(['a', 'b'], ['c', 'd'], 0.9, 10)).toBe(0);
  });
});
