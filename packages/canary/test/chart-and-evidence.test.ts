import {
  createEngine,
  parseChecks,
  step,
  type EngineState,
  type Sample,
  type SamplePair,
} from '../src/index';
import { gateCharts, gateEvidence, MAX_CHART_POINTS } from '../src/index';
import { renderSectionMarkdown, type ReportSection } from '@recsys-actions/core';

const CHECKS = parseChecks([
  { name: 'error-rate', type: 'ratio', bad: 'errors', total: 'requests' },
  { name: 'latency_p95', type: 'value', query: 'p95', max: 1 },
]);

const ratio = (events: number, total: number): Sample => ({ kind: 'ratio', events, total });
const value = (v: number): Sample => ({ kind: 'value', value: v });

/** Feeds `intervals` observations of `intervalSeconds` each, built by `pairs(i)`, without ever finishing. */
function stateAfter(
  intervals: number,
  intervalSeconds: number,
  pairs: (i: number) => Record<string, SamplePair>,
): EngineState {
  let state = createEngine(CHECKS, { maxIntervals: intervals + 1, minIntervals: intervals + 1 });
  for (let i = 0; i < intervals; i += 1)
    state = step(state, { index: i, elapsedSeconds: (i + 1) * intervalSeconds, checks: pairs(i) });
  return state;
}

const steady = (i: number) => ({
  'error-rate': { canary: ratio(2 + (i % 2), 100), baseline: ratio(1, 100) },
  latency_p95: { canary: value(0.081), baseline: value(0.0795) },
});

/** A chart section as the job summary shows it. */
function markdownOf(section: ReportSection | undefined): string {
  return section ? renderSectionMarkdown(section) : '';
}

/** The numbers of a `line [...]` row, in order of appearance. */
function lines(markdown: string): number[][] {
  return [...markdown.matchAll(/^ {2}line \[(.*)\]$/gm)].map((match) =>
    (match[1] ?? '').split(', ').map(Number),
  );
}

describe('gateCharts', () => {
  it('plots canary then baseline per interval, ratio checks in percent, minutes on the x-axis', () => {
    const [errorRate, latency] = gateCharts(stateAfter(3, 60, steady));
    expect(errorRate?.title).toBe('error-rate: canary vs baseline');
    expect(markdownOf(errorRate)).toContain('```mermaid\n%%{init: ');
    expect(markdownOf(errorRate)).toContain('\nxychart-beta\n  title "error-rate"\n');
    expect(markdownOf(errorRate)).toContain('  x-axis "minutes since the canary started" [1, 2, 3]');
    expect(markdownOf(errorRate)).toContain('  y-axis "rate (%)" 0 --> 5');
    expect(lines(markdownOf(errorRate))).toEqual([
      [2, 3, 2],
      [1, 1, 1],
    ]);
    expect(markdownOf(latency)).toContain('  y-axis "value" 0 --> 0.1');
    expect(lines(markdownOf(latency))).toEqual([
      [0.081, 0.081, 0.081],
      [0.0795, 0.0795, 0.0795],
    ]);
    expect(markdownOf(latency)).toContain('Orange: canary; blue: baseline.');
  });

  it('uses seconds for short intervals and leaves out intervals without data, saying so', () => {
    const state = stateAfter(4, 5, (i) =>
      i === 1 ? { latency_p95: { canary: value(0.08), baseline: value(0.08) } } : steady(i),
    );
    const [errorRate] = gateCharts(state);
    expect(markdownOf(errorRate)).toContain('  x-axis "seconds since the canary started" [5, 15, 20]');
    expect(markdownOf(errorRate)).toContain(
      '1 interval(s) without data for the canary or the baseline are left out.',
    );
  });

  it('says plainly when there is nothing to chart', () => {
    const state = stateAfter(2, 60, () => ({
      'error-rate': { canary: ratio(0, 0), baseline: ratio(1, 100) },
      latency_p95: { canary: value(Number.NaN), baseline: value(0.08) },
    }));
    const [errorRate] = gateCharts(state);
    expect(errorRate?.intro).toBe(
      'No data to chart: none of the 2 intervals had data for both the canary and the baseline.',
    );
    expect(errorRate?.charts).toEqual([]);
  });

  it('averages neighbouring intervals of a long run down to at most MAX_CHART_POINTS', () => {
    const [errorRate] = gateCharts(stateAfter(240, 60, steady));
    const [canary, baseline] = lines(markdownOf(errorRate));
    expect(canary).toHaveLength(MAX_CHART_POINTS);
    // Groups of 4 intervals alternate 2 % and 3 %: each averages 2.5 %.
    expect(new Set(canary)).toEqual(new Set([2.5]));
    expect(new Set(baseline)).toEqual(new Set([1]));
    expect(markdownOf(errorRate)).toContain('x-axis "minutes since the canary started" [4, 8, 12,');
    expect(markdownOf(errorRate)).toContain('Each point averages 4 intervals.');
    expect(markdownOf(errorRate)).toContain('"xyChart":{"width":1200,"height":300}');
  });

  it('writes tiny numbers without exponents, which mermaid cannot parse', () => {
    const state = stateAfter(1, 60, () => ({
      'error-rate': { canary: ratio(1, 1e9), baseline: ratio(1, 1e9) },
      latency_p95: { canary: value(1.5e-7), baseline: value(2e-7) },
    }));
    const markdown = gateCharts(state).map(renderSectionMarkdown).join('\n');
    expect(markdown).not.toMatch(/\de-\d/);
    expect(lines(markdown)).toEqual([[0.0000001], [0.0000001], [0.00000015], [0.0000002]]);
  });
});

describe('gateEvidence', () => {
  it('gives pooled rates, the ratio and the e-values of a ratio check, the means of a value check', () => {
    const state = stateAfter(2, 60, (i) => ({
      'error-rate': { canary: ratio(i === 0 ? 4 : 2, 200), baseline: ratio(10, 1000) },
      latency_p95: { canary: value(i === 0 ? 0.1 : 0.2), baseline: value(0.1) },
    }));
    const evidence = gateEvidence(state);
    expect(evidence['error-rate']).toMatchObject({
      type: 'ratio',
      canary: { rate: 6 / 400, events: 6, total: 400 },
      baseline: { rate: 0.01, events: 20, total: 2000 },
      intervals: { withData: 2, noData: 0, errors: 0, failed: 0 },
      sequential: { boundary: 1.1 },
    });
    expect(evidence['error-rate']?.ratio).toBeCloseTo(1.5, 12);
    expect(evidence['error-rate']?.sequential?.rollbackEValue).toBe(
      state.perCheck[0]?.sequential?.rollbackEValue,
    );
    expect(evidence.latency_p95).toEqual({
      type: 'value',
      canary: { mean: 0.15000000000000002, intervals: 2 },
      baseline: { mean: 0.1, intervals: 2 },
      ratio: 1.5000000000000002,
      intervals: { withData: 2, noData: 0, errors: 0, failed: 0 },
    });
  });

  it('has null rates and ratio for a check that never had data', () => {
    const state = stateAfter(1, 60, () => ({}));
    expect(gateEvidence(state)['error-rate']).toEqual({
      type: 'ratio',
      canary: { rate: null, events: 0, total: 0 },
      baseline: { rate: null, events: 0, total: 0 },
      ratio: null,
      intervals: { withData: 0, noData: 1, errors: 0, failed: 0 },
      sequential: expect.objectContaining({ rollbackEValue: 1, promoteEValue: 1 }),
    });
  });
});

describe('gateCharts limits', () => {
  const limited = parseChecks([
    { name: 'error-rate', type: 'ratio', bad: 'errors', total: 'requests', max: 0.04 },
    { name: 'latency_p95', type: 'value', query: 'p95', max: 1 },
  ]);
  let state = createEngine(limited, { maxIntervals: 4, minIntervals: 4 });
  for (let i = 0; i < 3; i += 1)
    state = step(state, { index: i, elapsedSeconds: (i + 1) * 60, checks: steady(i) });

  it('draws a max near the data as a red line in the chart unit, and names one far from it instead', () => {
    const [errorRate, latency] = gateCharts(state);
    expect(lines(markdownOf(errorRate))).toEqual([
      [2, 3, 2],
      [1, 1, 1],
      [4, 4, 4],
    ]);
    expect(markdownOf(errorRate)).toContain('"plotColorPalette":"#e8590c, #1c7ed6, #c92a2a"');
    expect(errorRate?.footnote).toBe('Orange: canary; blue: baseline; red: its limit.');
    expect(lines(markdownOf(latency))).toHaveLength(2);
    expect(latency?.footnote).toBe(
      'Orange: canary; blue: baseline. The max 1, far from the data, is not drawn.',
    );
  });
});
