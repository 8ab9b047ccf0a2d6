import { readFileSync } from 'node:fs';
import {
  promoteEValue,
  rollbackEValue,
  startRatioTest,
  updateRatioTest,
} from '../src/stats/ratio-martingale';

// Made by fixtures/generate-e-values.py with SciPy; see the script for how to re-run it.
const reference = JSON.parse(readFileSync(new URL('./fixtures/e-values.json', import.meta.url), 'utf8')) as {
  cases: {
    label: string;
    worse: 'higher' | 'lower';
    tolerance: number;
    intervals: [number, number, number, number][];
    rollbackEValue: number;
    promoteEValue: number;
  }[];
};

describe('ratio e-values', () => {
  it.each(reference.cases.map((c) => [c.label, c] as const))('match SciPy: %s', (_label, c) => {
    const test = c.intervals.reduce(
      (current, [canaryEvents, canaryTotal, baselineEvents, baselineTotal]) =>
        updateRatioTest(current, { canaryEvents, canaryTotal, baselineEvents, baselineTotal }),
      startRatioTest(c.tolerance, c.worse),
    );
    expect(Math.abs(rollbackEValue(test) / c.rollbackEValue - 1)).toBeLessThan(1e-9);
    expect(Math.abs(promoteEValue(test) / c.promoteEValue - 1)).toBeLessThan(1e-9);
  });

  it('starts at 1 and ignores intervals without events', () => {
    const start = startRatioTest(0.1, 'higher');
    const quiet = updateRatioTest(start, {
      canaryEvents: 0,
      canaryTotal: 300,
      baselineEvents: 0,
      baselineTotal: 2700,
    });
    expect(rollbackEValue(quiet)).toBeCloseTo(1, 12);
    expect(promoteEValue(quiet)).toBeCloseTo(1, 12);
  });
});
