import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvaluateOptions } from '../src/index';
import { evaluate } from '../src/index';

// Made by fixtures/make_reference.py (scikit-learn's ndcg_score and pandas); see that script to re-run it.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'reference');

interface ReferenceCase {
  name: string;
  files: Record<'recommendations' | 'interactions' | 'ratingPredictions' | 'trainInteractions', string>;
  options: Pick<EvaluateOptions, 'k' | 'ndcgGain' | 'relevanceThreshold'>;
  metrics: Record<string, number>;
  counts: { groundTruthUsers: number; evaluatedUsers: number };
}

const cases = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as ReferenceCase[];

describe('evaluate against the scikit-learn/pandas reference', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, reference) => {
    const files = Object.fromEntries(
      Object.entries(reference.files).map(([key, name]) => [key, join(fixtures, name)]),
    ) as ReferenceCase['files'];
    const result = await evaluate({ ...files, ...reference.options });
    // Every metric the reference computes is reported; the others are checked against MSR in msr.test.ts.
    expect(Object.keys(result.metrics)).toEqual(expect.arrayContaining(Object.keys(reference.metrics)));
    for (const [name, expected] of Object.entries(reference.metrics)) {
      const actual = result.metrics[name] as number;
      if (Math.abs(actual - expected) > 1e-9)
        throw new Error(`${name}: got ${actual}, reference ${expected}`);
    }
    expect(result.counts).toMatchObject(reference.counts);
  });
});
