import { readFileSync } from 'node:fs';
import { quantile } from '../src/quantile';

// NumPy's numpy.quantile on the same values: see fixtures/quantiles.py for how to re-run it.
const reference = JSON.parse(readFileSync(new URL('fixtures/quantiles.json', import.meta.url), 'utf8')) as {
  cases: { values: number[]; median: number; p90: number }[];
};

describe('quantile', () => {
  it.each(reference.cases.map((entry) => [entry.values.length, entry] as const))(
    'matches NumPy on %i values',
    (_size, { values, median, p90 }) => {
      expect(quantile(values, 0.5)).toBeCloseTo(median, 9);
      expect(quantile(values, 0.9)).toBeCloseTo(p90, 9);
    },
  );

  it('is null for no values', () => {
    expect(quantile([], 0.5)).toBeNull();
  });
});
