import { ConfigError } from '@recsys-actions/core';
import { parseChecks, seriesOf } from '../src/index';

function problem(value: unknown): string {
  try {
    parseChecks(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('checks');
    expect((error as ConfigError).example).toMatch(/^\[\{ name: error-rate/);
    return (error as Error).message;
  }
  throw new Error('expected parseChecks to throw');
}

describe('parseChecks', () => {
  it('normalises ratio and value checks and applies defaults', () => {
    const checks = parseChecks([
      { name: 'error-rate', type: 'ratio', bad: 'http_errors', total: 'http_requests', max: 0.02 },
      { name: 'ctr', type: 'ratio', good: 'clicks', total: 'impressions', tolerance: 0.05, weight: 2 },
      {
        name: 'p99',
        type: 'value',
        query: 'latency_p99{version="$version"}',
        'max-increase': 0.2,
        critical: true,
      },
    ]);
    expect(checks).toEqual([
      {
        name: 'error-rate',
        type: 'ratio',
        events: 'http_errors',
        worse: 'higher',
        total: 'http_requests',
        max: 0.02,
        weight: 1,
        critical: false,
      },
      {
        name: 'ctr',
        type: 'ratio',
        events: 'clicks',
        worse: 'lower',
        total: 'impressions',
        tolerance: 0.05,
        weight: 2,
        critical: false,
      },
      {
        name: 'p99',
        type: 'value',
        query: 'latency_p99{version="$version"}',
        'max-increase': 0.2,
        weight: 1,
        critical: true,
      },
    ]);
  });

  it('lists the series each check needs with its aggregation', () => {
    const checks = parseChecks([
      { name: 'errors', type: 'ratio', bad: 'e', total: 'r', max: 0.1 },
      { name: 'ctr', type: 'ratio', good: 'c', total: 'i' },
      { name: 'p99', type: 'value', query: 'q', max: 1 },
    ]);
    expect(checks.map(seriesOf)).toEqual([
      { bad: { series: 'e', aggregation: 'sum' }, total: { series: 'r', aggregation: 'sum' } },
      { good: { series: 'c', aggregation: 'sum' }, total: { series: 'i', aggregation: 'sum' } },
      { query: { series: 'q', aggregation: 'last' } },
    ]);
  });

  it.each([
    [[{ name: 'a', type: 'ratio', total: 'r' }], 'checks[0].bad: set exactly one of bad'],
    [
      [
        { name: 'a', type: 'value', query: 'q', max: 1 },
        { name: 'b', type: 'ratio', bad: 'e', good: 'c', total: 'r' },
      ],
      'checks[1].good: set exactly one',
    ],
    [[{ name: 'a', type: 'histogram', query: 'q' }], 'checks[0].type: type must be one of ratio, value'],
    [[{ name: 'a', type: 'ratio', bad: 'e', total: 'r', tolerance: -0.1 }], 'checks[0].tolerance: '],
    [
      [{ name: 'a', type: 'ratio', good: 'c', total: 'i', tolerance: 1 }],
      'checks[0].tolerance: must be below 1',
    ],
    [[{ name: 'a', type: 'value', query: 'q' }], 'checks[0]: needs max, min, max-increase or max-decrease'],
    [[{ name: 'a', type: 'value', query: 'q', maxIncrease: 0.2 }], 'checks[0]: Unrecognized key'],
    [[{ name: 'a', type: 'value', query: 'q', max: 1, min: 2 }], 'checks[0].min: must not exceed max (1)'],
    [
      [
        { name: 'a', type: 'value', query: 'q', max: 1 },
        { name: 'a', type: 'value', query: 'q', max: 1 },
      ],
      "checks[1].name: 'a' is used twice",
    ],
    [[], 'is invalid: must list at least one check'],
    [{ 'error-rate': {} }, 'is invalid: Invalid input: expected array'],
  ])('rejects %j', (value, expected) => {
    const message = problem(value);
    expect(message).toContain(expected);
    expect(message).toMatch(/^checks is invalid(:| at checks)/);
  });
});
