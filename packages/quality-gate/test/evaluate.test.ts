import { evaluateThresholds, thresholdsSchema, describeRule } from '../src/index';

const seedGates = thresholdsSchema().parse({
  rmse: { max: 0.85 },
  'precision@10': { min: 0.35 },
  'ndcg@10': { min: 0.42, 'min-relative-change': -0.01 },
  p95_inference_ms: { max: 50 },
  'diversity@10': { min: 0.5, severity: 'warning' },
  'coverage@10': { min: 0.6, severity: 'warning' },
});

describe('evaluateThresholds', () => {
  it('passes a model inside every bound', () => {
    const result = evaluateThresholds(
      seedGates,
      {
        rmse: 0.8,
        'precision@10': 0.4,
        'ndcg@10': 0.45,
        p95_inference_ms: 42,
        'diversity@10': 0.6,
        'coverage@10': 0.7,
      },
      { 'ndcg@10': 0.452 },
    );
    expect(result.criticalFailures).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.checks.find((c) => c.name === 'ndcg@10')).toMatchObject({
      status: 'pass',
      baseline: 0.452,
    });
  });

  it('separates critical failures from warnings and treats bounds as inclusive', () => {
    const result = evaluateThresholds(seedGates, {
      rmse: 0.85,
      'precision@10': 0.3,
      'ndcg@10': 0.42,
      p95_inference_ms: 51,
      'diversity@10': 0.4,
      'coverage@10': 0.6,
    });
    expect(result.criticalFailures).toEqual(['precision@10', 'p95_inference_ms']);
    expect(result.warnings).toEqual(['diversity@10']);
    expect(result.checks.find((c) => c.name === 'p95_inference_ms')?.message).toBe('above the maximum 50');
  });

  it('fails a metric missing from the results instead of passing it', () => {
    const result = evaluateThresholds(thresholdsSchema().parse({ 'ndcg@10': { min: 0.1 } }), {});
    expect(result.criticalFailures).toEqual(['ndcg@10']);
    expect(result.checks[0]).toMatchObject({
      status: 'fail',
      value: null,
      message: 'missing from the results',
    });
  });

  it('uses MLflow relative change (candidate − baseline)/|baseline| in the good direction', () => {
    const rules = thresholdsSchema().parse({
      'ndcg@10': { 'min-relative-change': 0.05 },
      rmse: { 'min-absolute-change': 0.01 },
      margin: { 'min-relative-change': 0.1, 'greater-is-better': true },
    });
    // ndcg: (0.42 − 0.40)/0.40 = +5 % passes; rmse must drop by ≥ 0.01; margin: (−0.9 − −1)/|−1| = +10 %.
    const pass = evaluateThresholds(
      rules,
      { 'ndcg@10': 0.42, rmse: 0.79, margin: -0.9 },
      { 'ndcg@10': 0.4, rmse: 0.8, margin: -1 },
    );
    expect(pass.criticalFailures).toEqual([]);
    const fail = evaluateThresholds(
      rules,
      { 'ndcg@10': 0.41, rmse: 0.795, margin: -0.95 },
      { 'ndcg@10': 0.4, rmse: 0.8, margin: -1 },
    );
    expect(fail.criticalFailures).toEqual(['ndcg@10', 'rmse', 'margin']);
    expect(fail.checks[0]?.message).toBe('relative change 2.5%, needs 5%');
  });

  it('skips change rules without a baseline, with a visible note, but still applies bounds', () => {
    const rules = thresholdsSchema().parse({ 'ndcg@10': { min: 0.5, 'min-relative-change': 0.01 } });
    const result = evaluateThresholds(rules, { 'ndcg@10': 0.45 });
    expect(result.criticalFailures).toEqual(['ndcg@10']);
    expect(result.notes[0]).toMatch(/No baseline value for ndcg@10: change rules were skipped/);
  });

  it('describes rules for people', () => {
    expect(describeRule('rmse', { max: 0.85, severity: 'critical', 'min-relative-change': 0.02 })).toBe(
      '≤ 0.85, ≤ baseline −2%',
    );
  });

  it('rejects rules with unknown keys or no condition', () => {
    expect(thresholdsSchema().safeParse({ rmse: { maximum: 1 } }).success).toBe(false);
    expect(thresholdsSchema().safeParse({ rmse: { severity: 'warning' } }).success).toBe(false);
    expect(thresholdsSchema().safeParse({ rmse: { min: 2, max: 1 } }).success).toBe(false);
  });
});

describe('thresholds named after Object.prototype', () => {
  it('reads only the metrics own values, so `constructor` is missing rather than a function', () => {
    const result = evaluateThresholds(
      thresholdsSchema().parse({ constructor: { min: 0.1 }, toString: { max: 1 } }),
      { 'ndcg@10': 0.5 },
      {},
    );
    expect(result.criticalFailures).toEqual(['constructor', 'toString']);
    expect(result.checks.map((check) => check.message)).toEqual([
      'missing from the results',
      'missing from the results',
    ]);
  });

  it('refuses a `__proto__` rule instead of dropping it', () => {
    const parsed = thresholdsSchema().safeParse(JSON.parse('{"__proto__": {"min": 0.9}}'));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe("'__proto__' cannot name a metric");
  });
});
