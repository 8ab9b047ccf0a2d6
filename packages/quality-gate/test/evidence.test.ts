import { evaluateThresholds, thresholdsSchema, type MetricEvidence } from '../src/index';

const rules = thresholdsSchema().parse({
  'ndcg@10': { 'min-relative-change': -0.01, confidence: 0.95 },
});

function evidence(lower: number, upper: number, confidence = 0.95): Record<string, MetricEvidence> {
  return {
    'ndcg@10': {
      baseline: 0.4,
      relativeChange: (lower + upper) / 2,
      intervals: [{ confidence, lower, upper }],
    },
  };
}

const judge = (lower: number, upper: number, confidence?: number) =>
  evaluateThresholds(rules, { 'ndcg@10': 0.39 }, undefined, evidence(lower, upper, confidence));

describe('change rules with a confidence', () => {
  it('fail only when the interval lies wholly below the minimum change', () => {
    const result = judge(-0.05, -0.02);
    expect(result.criticalFailures).toEqual(['ndcg@10']);
    expect(result.checks[0]).toMatchObject({
      status: 'fail',
      baseline: 0.4,
      threshold: '≥ baseline −1% at 95% confidence',
      message: 'relative change −3.5%, 95% interval −5% to −2%: wholly below −1%',
    });
  });

  it('pass when the interval lies wholly above, even though the point change is negative', () => {
    const result = judge(-0.009, 0.03);
    expect(result.checks[0]).toMatchObject({ status: 'pass', message: undefined });
    expect(result.warnings).toEqual([]);
  });

  it('warn, whatever the severity, when the interval straddles the minimum', () => {
    const result = judge(-0.03, 0.01);
    expect(result.criticalFailures).toEqual([]);
    expect(result.warnings).toEqual(['ndcg@10']);
    expect(result.checks[0]?.message).toBe(
      'inconclusive: relative change −1%, 95% interval −3% to +1% straddles −1%',
    );
  });

  it('read the interval in the good direction for metrics where lower is better', () => {
    const latency = thresholdsSchema().parse({ p95_ms: { 'min-relative-change': -0.05, confidence: 0.9 } });
    const paired = {
      p95_ms: {
        baseline: 40,
        relativeChange: 0.1,
        intervals: [{ confidence: 0.9, lower: 0.07, upper: 0.12 }],
      },
    };
    // Latency up 7–12 %: an improvement of −12 % to −7 %, wholly below the −5 % allowed.
    expect(evaluateThresholds(latency, { p95_ms: 44 }, undefined, paired).checks[0]).toMatchObject({
      status: 'fail',
      message: 'relative change +10%, 90% interval +7% to +12%: wholly above +5%',
    });
  });

  it('are skipped with a note, bounds still applied, without a paired comparison', () => {
    const withBound = thresholdsSchema().parse({
      'ndcg@10': { min: 0.4, 'min-relative-change': -0.01, confidence: 0.95 },
    });
    const result = evaluateThresholds(withBound, { 'ndcg@10': 0.39 }, { 'ndcg@10': 0.2 });
    expect(result.checks[0]).toMatchObject({ status: 'fail', message: 'below the minimum 0.4' });
    expect(result.notes).toEqual([
      "No paired comparison for ndcg@10: their rules set a confidence, which needs the champion's recommendations for the same users, so their change rules were skipped and only the bounds applied.",
    ]);
  });

  it.each([0.5, 1, 0.2, 95])('refuse confidence %p', (confidence) => {
    const parsed = thresholdsSchema().safeParse({ 'ndcg@10': { 'min-relative-change': -0.01, confidence } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['ndcg@10', 'confidence'],
      message: 'must lie strictly between 0.5 and 1, e.g. 0.95',
    });
  });

  it('refuse a confidence without min-relative-change', () => {
    const parsed = thresholdsSchema().safeParse({ 'ndcg@10': { min: 0.3, confidence: 0.95 } });
    expect(parsed.error?.issues[0]?.message).toBe(
      'confidence decides min-relative-change on an interval: give min-relative-change too',
    );
  });
});
