import { decideQuality, formatSizeLike, modelSizeCheck, type QualityGateResult } from '../src/index';

const critical: QualityGateResult = {
  checks: [{ name: 'ndcg@10', status: 'fail', severity: 'critical', message: 'below 0.42' }],
  criticalFailures: ['ndcg@10'],
  warnings: [],
  notes: [],
};
const clean: QualityGateResult = { checks: [], criticalFailures: [], warnings: [], notes: [] };

describe('decideQuality', () => {
  it('fails on a critical rule and blocks under fail-on critical', () => {
    const decision = decideQuality(critical, [], 'critical');
    expect(decision.verdict).toBe('fail');
    expect(decision.failing).toEqual(['ndcg@10']);
    expect(decision.headline).toBe('1 of 1 checks failed a critical rule: ndcg@10.');
  });

  it('counts a model-size warning and blocks on it only under fail-on warning', () => {
    const size = [modelSizeCheck(2e9, { bytes: 1e9, text: '1GB' })];
    expect(decideQuality(clean, size, 'critical')).toMatchObject({
      verdict: 'warn',
      warnings: ['model size'],
      failing: [],
      headline: 'All critical checks passed; 1 warning(s): model size.',
    });
    expect(decideQuality(clean, size, 'warning').failing).toEqual(['model size']);
  });

  it('keeps the fail verdict but blocks nothing under fail-on never', () => {
    const decision = decideQuality(critical, [], 'never');
    expect(decision.verdict).toBe('fail');
    expect(decision.failing).toEqual([]);
  });

  it('says when no checks were configured', () => {
    expect(decideQuality(clean, [], 'critical').headline).toBe('Metrics computed; no checks configured.');
  });
});

describe('modelSizeCheck', () => {
  it('passes at the limit and warns above it', () => {
    const limit = { bytes: 1e9, text: '1GB' };
    expect(modelSizeCheck(1e9, limit).status).toBe('pass');
    expect(modelSizeCheck(1e9 + 1, limit)).toMatchObject({ status: 'warn', severity: 'warning' });
  });

  it('shows the limit as written and the size in the same family of units, without raw bytes', () => {
    expect(modelSizeCheck(412_300_000, { bytes: 1e9, text: '1GB' })).toEqual({
      name: 'model size',
      status: 'pass',
      severity: 'warning',
      threshold: '≤ 1GB',
      message: '412 MB',
    });
    expect(modelSizeCheck(3 * 1024 ** 3, { bytes: 500 * 1024 ** 2, text: '500 MiB' })).toMatchObject({
      threshold: '≤ 500 MiB',
      message: '3 GiB is above the limit',
    });
    expect(formatSizeLike(3, '1GB')).toBe('3 B');
  });
});
