import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DataError } from '@recsys-actions/core';
import {
  openMetricSource,
  type Aggregation,
  type IntervalWindow,
  type MetricSource,
  type Role,
} from '../src/index';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'telemetry-file-'));

interface Expected {
  windowSeconds: number;
  aggregations: Record<string, Aggregation>;
  expected: Record<string, Record<Role, (number | null)[]>>;
}

function recordingFile(lines: string[]): string {
  const path = join(scratch, `recording-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

function window(index: number, startSeconds: number, endSeconds: number): IntervalWindow {
  return { index, startSeconds, endSeconds };
}

function read(source: MetricSource, series: string, role: Role, aggregation: Aggregation, w: IntervalWindow) {
  return source.read({ expression: series, aggregation, role, version: 'v2', environment: 'prod' }, w);
}

describe('file source', () => {
  it('aggregates every interval as pandas does (sum of increments, last value, (start, end] windows)', async () => {
    const { windowSeconds, aggregations, expected } = JSON.parse(
      readFileSync(join(fixtures, 'recording-expected.json'), 'utf8'),
    ) as Expected;
    const source = await openMetricSource({ source: 'file', path: join(fixtures, 'recording.jsonl') });
    expect(source.realtime).toBe(false);
    for (const [series, byRole] of Object.entries(expected)) {
      for (const role of ['canary', 'baseline'] as const) {
        const values = await Promise.all(
          byRole[role].map((_, index) =>
            read(
              source,
              series,
              role,
              aggregations[series] ?? 'sum',
              window(index, index * windowSeconds, (index + 1) * windowSeconds),
            ),
          ),
        );
        const reference = byRole[role].map((value) => value ?? undefined);
        expect({ series, role, values }).toEqual({ series, role, values: reference });
      }
    }
  });

  it('puts a sample on a boundary into the interval it closes, and keeps the last of equal times', async () => {
    const source = await openMetricSource({
      source: 'file',
      path: recordingFile([
        '{"t": 5, "role": "canary", "series": "latency", "value": 0.1}',
        '{"t": 5, "role": "canary", "series": "latency", "value": 0.3}',
        '{"t": 5.001, "role": "canary", "series": "latency", "value": 0.9}',
        '',
      ]),
    });
    expect(await read(source, 'latency', 'canary', 'last', window(0, 0, 5))).toBe(0.3);
    expect(await read(source, 'latency', 'canary', 'sum', window(0, 0, 5))).toBeCloseTo(0.4, 12);
    expect(await read(source, 'latency', 'canary', 'last', window(1, 5, 10))).toBe(0.9);
  });

  it('reports no data for an empty window and for a role without samples', async () => {
    const source = await openMetricSource({
      source: 'file',
      path: recordingFile(['{"t": 12, "role": "canary", "series": "clicks", "value": 0}']),
    });
    expect(await read(source, 'clicks', 'canary', 'sum', window(0, 0, 10))).toBeUndefined();
    expect(await read(source, 'clicks', 'canary', 'sum', window(1, 10, 20))).toBe(0);
    expect(await read(source, 'clicks', 'baseline', 'sum', window(1, 10, 20))).toBeUndefined();
  });

  it('names the file and line of a line that is not JSON', async () => {
    const path = recordingFile(['{"t": 1, "role": "canary", "series": "x", "value": 1}', '{"t": 2,']);
    const error = await openMetricSource({ source: 'file', path }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(
      new RegExp(`^${escapeRegExp(path)} \\(line 2\\): is not valid JSON`),
    );
  });

  it.each([
    ['{"t": 1, "role": "shadow", "series": "x", "value": 1}', /line 1\): field 'role'.*canary/],
    ['{"t": 1, "role": "canary", "series": "x", "value": "7"}', /line 1\): field 'value'.*number/],
    ['{"role": "canary", "series": "x", "value": 1}', /line 1\): field 't'.*number/],
    ['[1, 2]', /line 1\): must be an object such as/],
  ])('names the field of a line with a wrong shape: %s', async (line, message) => {
    const path = recordingFile([line]);
    await expect(openMetricSource({ source: 'file', path })).rejects.toThrow(message);
  });

  it('rejects a series the recording does not hold, listing the ones it does', async () => {
    const source = await openMetricSource({
      source: 'file',
      path: recordingFile([
        '{"t": 1, "role": "canary", "series": "requests_total", "value": 1}',
        '{"t": 1, "role": "baseline", "series": "errors_total", "value": 1}',
      ]),
    });
    expect(() => source.validate('requests_total', 'checks[0].total')).not.toThrow();
    expect(() => source.validate('request_total', 'checks[0].total')).toThrow(ConfigError);
    expect(() => source.validate('request_total', 'checks[0].total')).toThrow(
      /^checks\[0\]\.total names the series 'request_total'.*holds errors_total, requests_total/,
    );
  });

  it('reports a missing recording as a DataError naming it', async () => {
    const path = join(scratch, 'missing.jsonl');
    await expect(openMetricSource({ source: 'file', path })).rejects.toThrow(
      new DataError(path, 'cannot be read (ENOENT)'),
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
