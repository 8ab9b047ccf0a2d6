import { detectDrift, driftChecks, profileDataset, type DriftResult } from '../src/index';
import {
  expectClose,
  expected,
  expectRelativelyClose,
  fixture,
  type ExpectedCase,
  type ExpectedColumn,
} from './support/fixtures';

const STATISTIC_TOLERANCE = 1e-9;
const P_VALUE_TOLERANCE = 1e-6;

async function run(name: 'small' | 'large', options = {}): Promise<DriftResult> {
  const reference = await profileDataset([fixture(`${name}-reference.csv`)], options);
  return detectDrift(reference, [fixture(`${name}-current.csv`)], options);
}

function column(result: DriftResult, name: string) {
  const found =
    name === 'prediction' ? result.prediction : result.columns.find((drift) => drift.column === name);
  if (found === undefined) throw new Error(`no result for ${name}`);
  return found;
}

function expectMatches(result: DriftResult, wanted: Record<string, ExpectedColumn>): void {
  for (const [name, values] of Object.entries(wanted)) {
    const drift = column(result, name);
    expect([name, drift.method]).toEqual([name, values.method]);
    expectClose(drift.statistic, values.statistic, STATISTIC_TOLERANCE);
    if (values.pValue !== undefined) expectRelativelyClose(drift.pValue, values.pValue, P_VALUE_TOLERANCE);
  }
}

describe.each(['small', 'large'] as const)('detectDrift on the %s CSV case, against SciPy', (name) => {
  const wanted: ExpectedCase = expected[name];
  let result: DriftResult;
  beforeAll(async () => {
    result = await run(name);
  });

  it("chooses Evidently's method per column and reproduces SciPy's statistics", () => {
    expectMatches(result, wanted.columns);
  });

  it('counts rows, reports the prediction apart and sorts columns by score', () => {
    expect(result.rows).toEqual({ ...wanted.rows, skippedBadRows: 0 });
    expect(result.columns.map((drift) => drift.column)).not.toContain('prediction');
    const scores = result.columns.map((drift) => drift.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(result.driftShare).toBe(result.driftedColumns.length / 4);
    expect(result.datasetDrift).toBe(result.driftShare >= 0.5);
  });

  it('reports the data-quality findings the fixture was built with', () => {
    const kinds = result.quality.map((finding) => `${finding.kind}:${finding.column ?? ''}`);
    expect(kinds).toContain('new-category:genre');
    expect(kinds).toContain('missing-values:age');
    const missing = result.quality.find((finding) => finding.kind === 'missing-values');
    expect(missing?.message).toBe(
      `${(wanted.ageMissingShare * 100).toFixed(1)}% of values are missing, against 0.0% in the reference`,
    );
    expect(kinds.includes('out-of-range:age')).toBe(wanted.ageOutOfRange > 0);
    expect(kinds.includes('row-count:')).toBe(
      Math.abs(wanted.rows.current / wanted.rows.reference - 1) > 0.1,
    );
    expect(result.quality.every((finding) => finding.severity === 'warning')).toBe(true);
  });
});

describe('detectDrift options', () => {
  it('uses the methods set per column and globally, with their statistics matching SciPy', async () => {
    const result = await run('large', {
      method: 'ks',
      perColumn: { age: { method: 'psi' }, genre: { method: 'kl' }, rating: { method: 'hellinger' } },
    });
    expectMatches(result, expected.overrides);
    // KS needs numbers: the categorical column keeps its automatic method.
    expect(column(result, 'clicked').method).toBe('jensenshannon');
  });

  it('scales thresholds by sensitivity and lets a column threshold win', async () => {
    const high = await run('large', { sensitivity: 'high', perColumn: { genre: { threshold: 0.3 } } });
    expect(column(high, 'age').threshold).toBe(0.05);
    expect(column(high, 'genre').threshold).toBe(0.3);
    expect(column(high, 'genre').drifted).toBe(false);
    const low = await run('small', { sensitivity: 'low' });
    expect(column(low, 'clicked').threshold).toBe(0.01);
    // p = 0.012: drift at 0.05, none at 0.01.
    expect(column(low, 'clicked').drifted).toBe(false);
    expect(column(await run('small'), 'clicked').drifted).toBe(true);
  });

  it('scores tests as ln p / ln threshold and distances as distance / threshold', async () => {
    const small = column(await run('small'), 'rating');
    expect(small.score).toBeCloseTo(Math.log(small.pValue as number) / Math.log(0.05), 12);
    // A category the reference never saw: Evidently's chi-square is infinite, p = 0, floored at 1e-300 here.
    const unseen = column(await run('small'), 'genre');
    expect([unseen.statistic, unseen.pValue]).toEqual([Infinity, 0]);
    expect(unseen.score).toBeCloseTo(Math.log(1e-300) / Math.log(0.05), 12);
    const large = column(await run('large'), 'genre');
    expect(large.score).toBeCloseTo(large.statistic / 0.1, 12);
  });

  it('makes chosen quality findings critical and turns everything into report checks', async () => {
    const result = await run('small', { criticalQuality: ['new-category'] });
    const checks = driftChecks(result);
    expect(checks[0]).toEqual({
      name: 'dataset drift',
      status: result.datasetDrift ? 'fail' : 'pass',
      value: result.driftShare,
      message: `${result.driftedColumns.length} of 4 columns drifted`,
    });
    expect(checks.find((check) => check.name === 'genre')).toMatchObject({
      status: 'warn',
      threshold: 'chi-square p-value < 0.05',
      value: column(result, 'genre').pValue,
    });
    expect(checks.find((check) => check.name === 'new-category: genre')).toEqual({
      name: 'new-category: genre',
      status: 'fail',
      severity: 'critical',
      message: "1 category not in the reference: 'western'",
    });
    expect(checks.find((check) => check.name === 'prediction: prediction')?.threshold).toBe(
      'KS p-value ≤ 0.05',
    );
  });

  it('draws histograms of shares for the chart', async () => {
    const genre = column(await run('small'), 'genre');
    expect(genre.histogram.labels).toContain('western');
    expect(genre.histogram.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(genre.histogram.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(genre.histogram.reference[genre.histogram.labels.indexOf('western')]).toBe(0);
  });
});
