import { parseChecks } from '../src/index';
import { ConfigError } from '@recsys-actions/core';
import {
  MetricSourceError,
  type IntervalWindow,
  type MetricSource,
  type SeriesQuery,
} from '@recsys-actions/telemetry';
import { runGate } from '../src/index';
import { ERROR_RATE, fakeClock, recordingSource, repeat } from './gate-helpers';

const versions = { canary: 'v2', baseline: 'v1' };
const common = { versions, environment: 'prod', intervalSeconds: 60 };
const healthy = { canary: { requests: 1000, errors: 10 }, baseline: { requests: 1000, errors: 10 } };
const doubled = { canary: { requests: 1000, errors: 20 }, baseline: { requests: 1000, errors: 10 } };
const idleCanary = { canary: { requests: 0, errors: 0 }, baseline: { requests: 1000, errors: 10 } };

describe('runGate over a recording (file source)', () => {
  it('rolls back a canary with twice the error rate, reading nothing after the verdict', async () => {
    const clock = fakeClock(0);
    const { state, observations } = await runGate({
      ...common,
      checks: ERROR_RATE,
      options: {},
      source: await recordingSource(repeat(30, doubled)),
      maxIntervals: 30,
      clock,
    });
    expect(state.verdict).toBe('rollback');
    expect(observations.length).toBe(state.intervals);
    expect(state.intervals).toBeLessThan(30);
    expect(observations[0]).toEqual({
      index: 0,
      elapsedSeconds: 60,
      checks: {
        'error-rate': {
          canary: { kind: 'ratio', events: 20, total: 1000 },
          baseline: { kind: 'ratio', events: 10, total: 1000 },
        },
      },
    });
    // A recording is replayed at full speed.
    expect(clock.sleeps).toEqual([]);
  });

  it('ends at max-intervals with the timeout verdict when the evidence allows neither', async () => {
    const { state } = await runGate({
      ...common,
      checks: ERROR_RATE,
      options: { onTimeout: 'promote' },
      source: await recordingSource(repeat(4, healthy)),
      maxIntervals: 4,
    });
    expect(state).toMatchObject({ status: 'done', verdict: 'promote', intervals: 4 });
    expect(state.reason).toMatch(/^max-duration reached after 4 intervals.*on-timeout is promote$/);
  });

  it('reads a canary without traffic as no data and ends inconclusive', async () => {
    const { state, observations } = await runGate({
      ...common,
      checks: ERROR_RATE,
      options: { inconclusiveLimit: 3 },
      source: await recordingSource(repeat(10, idleCanary)),
      maxIntervals: 10,
    });
    expect(state.verdict).toBe('inconclusive');
    expect(state.reason).toBe('no data for error-rate in 3 intervals (inconclusive-limit 3)');
    expect(observations).toHaveLength(3);
  });

  it('fails on a series the recording lacks before reading anything', async () => {
    const checks = parseChecks([
      { name: 'ctr', type: 'ratio', good: 'clicks_total', total: 'requests_total' },
    ]);
    const run = runGate({
      ...common,
      checks,
      options: {},
      source: await recordingSource([healthy]),
      maxIntervals: 5,
    });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/^checks\[0\]\.good names the series 'clicks_total'/);
  });
});

/** A realtime backend double: answers from a function and records when (on the clock) each read happened. */
function realtimeSource(
  clock: { now(): number },
  answer: (query: SeriesQuery, window: IntervalWindow) => number | undefined,
) {
  const reads: { atMs: number; series: string; role: string; version: string; window: IntervalWindow }[] = [];
  const validated: string[] = [];
  const source: MetricSource = {
    realtime: true,
    validate: (expression, field) => {
      validated.push(field);
      if (expression.includes('{{typo}}'))
        throw new ConfigError(field, 'uses the unknown placeholder {{typo}}');
    },
    read: async (query, window) => {
      reads.push({
        atMs: clock.now(),
        series: query.expression,
        role: query.role,
        version: query.version,
        window,
      });
      return answer(query, window);
    },
  };
  return { source, reads, validated };
}

const counts = (query: SeriesQuery) => (query.expression === 'errors' ? 10 : 1000);
const REALTIME_CHECKS = parseChecks([
  { name: 'error-rate', type: 'ratio', bad: 'errors', total: 'requests' },
  { name: 'p95', type: 'value', query: 'latency', 'max-increase': 0.5 },
]);

describe('runGate over a realtime source (fake clock)', () => {
  const START_MS = 1_700_000_000_000;

  it('reads each window once it has ended plus the settle delay, with the versions of each role', async () => {
    const clock = fakeClock(START_MS);
    const { source, reads, validated } = realtimeSource(clock, (query) =>
      query.expression === 'latency' ? 0.08 : counts(query),
    );
    const { state } = await runGate({
      ...common,
      checks: REALTIME_CHECKS,
      options: { onTimeout: 'promote' },
      source,
      maxIntervals: 3,
      clock,
      startSeconds: START_MS / 1000,
      settleSeconds: 5,
    });
    expect(validated).toEqual(['checks[0].bad', 'checks[0].total', 'checks[1].query']);
    expect(state.verdict).toBe('promote');
    expect(clock.sleeps).toEqual([65_000, 60_000, 60_000]);
    const windows = [
      ...new Set(reads.map((read) => `${read.window.startSeconds}-${read.window.endSeconds}`)),
    ];
    expect(windows).toEqual(['0-60', '60-120', '120-180']);
    for (const read of reads) expect(read.atMs).toBe(START_MS + (read.window.endSeconds + 5) * 1000);
    expect(reads.filter((read) => read.window.index === 0).map((r) => [r.series, r.role, r.version])).toEqual(
      expect.arrayContaining([
        ['errors', 'canary', 'v2'],
        ['requests', 'canary', 'v2'],
        ['latency', 'canary', 'v2'],
        ['errors', 'baseline', 'v1'],
        ['requests', 'baseline', 'v1'],
        ['latency', 'baseline', 'v1'],
      ]),
    );
    expect(reads).toHaveLength(18);
  });

  it('does not wait for windows that have already passed', async () => {
    const clock = fakeClock(START_MS + 600_000);
    const { source } = realtimeSource(clock, (query) =>
      query.expression === 'latency' ? 0.08 : counts(query),
    );
    await runGate({
      ...common,
      checks: REALTIME_CHECKS,
      options: { onTimeout: 'promote' },
      source,
      maxIntervals: 3,
      clock,
      startSeconds: START_MS / 1000,
    });
    expect(clock.sleeps).toEqual([]);
  });

  it('validates every expression before any waiting', async () => {
    const clock = fakeClock(START_MS);
    const checks = parseChecks([{ name: 'p95', type: 'value', query: 'latency{{typo}}', max: 1 }]);
    const { source, reads } = realtimeSource(clock, () => 1);
    await expect(runGate({ ...common, checks, options: {}, source, maxIntervals: 3, clock })).rejects.toThrow(
      /^checks\[0\]\.query uses the unknown placeholder/,
    );
    expect(clock.sleeps).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('counts a failing read as an error interval and keeps going, ending inconclusive, never promote', async () => {
    const clock = fakeClock(START_MS);
    const { source, reads } = realtimeSource(clock, (query, window) => {
      if (window.index >= 1 && query.role === 'canary' && query.expression === 'errors')
        throw new MetricSourceError('unreachable', 'cannot reach http://prometheus:9090 (ECONNREFUSED)');
      return query.expression === 'latency' ? 0.08 : counts(query);
    });
    const { state, observations } = await runGate({
      ...common,
      checks: REALTIME_CHECKS,
      options: { consecutiveErrorLimit: 2, onTimeout: 'promote' },
      source,
      maxIntervals: 10,
      clock,
    });
    expect(state.verdict).toBe('inconclusive');
    expect(state.reason).toBe(
      'errors from telemetry in 2 consecutive intervals (last: error-rate: canary: cannot reach http://prometheus:9090 (ECONNREFUSED))',
    );
    expect(observations[1]?.checks['error-rate']?.canary).toEqual({
      kind: 'error',
      message: 'cannot reach http://prometheus:9090 (ECONNREFUSED)',
    });
    // The other check of the same interval was still read and judged.
    expect(observations[1]?.checks.p95).toEqual({
      canary: { kind: 'value', value: 0.08 },
      baseline: { kind: 'value', value: 0.08 },
    });
    expect(state.perCheck[0]?.errorIntervals).toBe(2);
    expect(reads.length).toBeGreaterThan(0);
  });

  it('lets an error that is not the backend’s (a bug) end the run', async () => {
    const clock = fakeClock(START_MS);
    const { source } = realtimeSource(clock, () => {
      throw new TypeError('boom');
    });
    await expect(
      runGate({ ...common, checks: REALTIME_CHECKS, options: {}, source, maxIntervals: 3, clock }),
    ).rejects.toThrow('boom');
  });

  it('turns an undefined answer into no data for that check only', async () => {
    const clock = fakeClock(START_MS);
    const { source } = realtimeSource(clock, (query) =>
      query.expression === 'latency' ? undefined : counts(query),
    );
    const { state, observations } = await runGate({
      ...common,
      checks: REALTIME_CHECKS,
      options: { inconclusiveLimit: 2 },
      source,
      maxIntervals: 10,
      clock,
    });
    expect(observations[0]?.checks.p95).toEqual({
      canary: { kind: 'no-data' },
      baseline: { kind: 'no-data' },
    });
    expect(observations[0]?.checks['error-rate']?.canary).toEqual({ kind: 'ratio', events: 10, total: 1000 });
    expect(state.reason).toBe('no data for p95 in 2 intervals (inconclusive-limit 2)');
  });
});
