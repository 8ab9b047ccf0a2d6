import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChecks } from '../src/index';
import { openMetricSource, type MetricSource } from '@recsys-actions/telemetry';
import type { Clock } from '../src/index';

export const ERROR_RATE = parseChecks([
  { name: 'error-rate', type: 'ratio', bad: 'errors_total', total: 'requests_total' },
]);

export interface IntervalCounts {
  canary: { requests: number; errors: number };
  baseline: { requests: number; errors: number };
}

/** A JSONL recording with one sample per series and role at the end of each 60 s interval. */
export async function recordingSource(intervals: IntervalCounts[]): Promise<MetricSource> {
  const lines = intervals.flatMap((counts, i) =>
    (['canary', 'baseline'] as const).flatMap((role) => [
      { t: 60 * (i + 1), role, series: 'requests_total', value: counts[role].requests },
      { t: 60 * (i + 1), role, series: 'errors_total', value: counts[role].errors },
    ]),
  );
  const path = join(mkdtempSync(join(tmpdir(), 'gate-')), 'run.jsonl');
  writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n'));
  return openMetricSource({ source: 'file', path });
}

export const repeat = <T>(count: number, item: T): T[] => Array.from({ length: count }, () => item);

/** A clock whose sleeps return at once and move time forward, recording how long each one was. */
export function fakeClock(startMs: number): Clock & { sleeps: number[] } {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}
