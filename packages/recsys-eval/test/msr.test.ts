import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvaluateOptions, UserMetric } from '../src/index';
import { evaluate } from '../src/index';

// Made by fixtures/make_msr_reference.py from Microsoft Recommenders' own python_evaluation functions; provenance
// in fixtures/msr/PROVENANCE.md.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'msr');

interface MsrCase {
  name: string;
  files: Record<'recommendations' | 'interactions' | 'ratingPredictions' | 'trainInteractions', string>;
  options: Pick<EvaluateOptions, 'k' | 'relevanceThreshold'>;
  metrics: Record<string, number>;
  undefined: string[];
  userTables: { k: number; diversity: UserMetric[]; serendipity: UserMetric[] };
}

const cases = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as MsrCase[];
const TOLERANCE = 1e-9;

function expectNear(name: string, actual: number | undefined, expected: number): void {
  if (actual === undefined || !(Math.abs(actual - expected) <= TOLERANCE))
    throw new Error(`${name}: got ${actual}, Microsoft Recommenders ${expected}`);
}

describe("evaluate against Microsoft Recommenders' python_evaluation", () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, reference) => {
    const files = Object.fromEntries(
      Object.entries(reference.files).map(([key, name]) => [key, join(fixtures, name)]),
    ) as MsrCase['files'];
    const result = await evaluate({ ...files, ...reference.options });
    for (const [name, expected] of Object.entries(reference.metrics))
      expectNear(name, result.metrics[name], expected);
    for (const name of reference.undefined) expect([name, result.metrics[name]]).toEqual([name, undefined]);
    expect(result.userTables?.k).toBe(reference.userTables.k);
    for (const table of ['diversity', 'serendipity'] as const) {
      const ours = [...(result.userTables?.[table] ?? [])].sort((a, b) => (a.user < b.user ? -1 : 1));
      expect(ours.map((row) => row.user)).toEqual(reference.userTables[table].map((row) => row.user));
      for (const [index, row] of reference.userTables[table].entries())
        expectNear(`user_${table} of ${row.user}`, ours[index]?.value, row.value);
    }
  });
});
