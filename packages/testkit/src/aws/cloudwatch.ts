import { AwsServiceError } from './errors';

interface MetricQuery {
  Id: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
}

type Series = Map<number, number>;

/**
 * CloudWatch metrics for GetMetricData. Tests put datapoints (epoch seconds → value) under a metric, its
 * dimensions and a statistic; a query gets those inside [StartTime, EndTime). Metric math supports what the
 * sources send: ids, numbers, + - * / and parentheses, evaluated per timestamp where every operand has a
 * value, as CloudWatch aligns series. An id that no query defines is refused as CloudWatch refuses it.
 */
export class CloudWatchFake {
  private readonly series = new Map<string, Series>();

  put(
    namespace: string,
    metricName: string,
    dimensions: Record<string, string>,
    stat: string,
    points: [number, number][],
  ): void {
    const series =
      this.series.get(metricKey(namespace, metricName, dimensions, stat)) ?? new Map<number, number>();
    for (const [timestamp, value] of points) series.set(timestamp, value);
    this.series.set(metricKey(namespace, metricName, dimensions, stat), series);
  }

  handle(operation: string, input: Record<string, unknown>): unknown {
    if (operation !== 'GetMetricData')
      throw new AwsServiceError('InvalidAction', `The fake does not serve CloudWatch ${operation}`);
    const start = toSeconds(input.StartTime);
    const end = toSeconds(input.EndTime);
    if (end <= start)
      throw new AwsServiceError(
        'InvalidParameterValue',
        'The parameter StartTime must be less than the parameter EndTime.',
      );
    const queries = input.MetricDataQueries as MetricQuery[];
    const results = new Map<string, Series>();
    for (const query of queries) {
      if (query.MetricStat) results.set(query.Id, this.read(query.MetricStat, start, end));
    }
    for (const query of queries) {
      if (query.Expression !== undefined) results.set(query.Id, evaluate(query.Expression, results));
    }
    return {
      MetricDataResults: queries
        .filter((query) => query.ReturnData !== false)
        .map((query) => {
          const points = [...(results.get(query.Id) ?? [])].sort(([a], [b]) => b - a);
          return {
            Id: query.Id,
            Label: query.Label ?? query.Id,
            Timestamps: points.map(([timestamp]) => timestamp),
            Values: points.map(([, value]) => value),
            StatusCode: 'Complete',
          };
        }),
      Messages: [],
    };
  }

  private read(stat: NonNullable<MetricQuery['MetricStat']>, start: number, end: number): Series {
    const { Metric, Stat } = stat;
    const dimensions = Object.fromEntries((Metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
    const stored = this.series.get(
      metricKey(Metric.Namespace ?? '', Metric.MetricName ?? '', dimensions, Stat),
    );
    return new Map([...(stored ?? [])].filter(([timestamp]) => timestamp >= start && timestamp < end));
  }
}

function metricKey(
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  stat: string,
): string {
  const sorted = Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([namespace, metricName, sorted, stat]);
}

function toSeconds(value: unknown): number {
  return typeof value === 'number' ? value : Date.parse(String(value)) / 1000;
}

/** A tiny recursive-descent evaluator of CloudWatch arithmetic over aligned series. */
function evaluate(expression: string, results: Map<string, Series>): Series {
  const tokens = expression.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[()+\-*/]|\S/g) ?? [];
  let position = 0;
  const fail = (problem: string) =>
    new AwsServiceError('ValidationError', `Error in expression '${expression}': ${problem}`);
  const primary = (): Series | number => {
    const token = tokens[position++];
    if (token === '(') {
      const value = sum();
      if (tokens[position++] !== ')') throw fail('missing )');
      return value;
    }
    if (token !== undefined && /^\d/.test(token)) return Number(token);
    if (token !== undefined && /^[A-Za-z_]/.test(token)) {
      const series = results.get(token);
      if (!series) throw fail(`Unrecognized token ${token}`);
      return series;
    }
    throw fail(`unexpected ${token ?? 'end'}`);
  };
  const product = (): Series | number => {
    let left = primary();
    while (tokens[position] === '*' || tokens[position] === '/')
      left = combine(left, tokens[position++] ?? '', primary());
    return left;
  };
  const sum = (): Series | number => {
    let left = product();
    while (tokens[position] === '+' || tokens[position] === '-')
      left = combine(left, tokens[position++] ?? '', product());
    return left;
  };
  const value = sum();
  if (position !== tokens.length) throw fail(`unexpected ${tokens[position]}`);
  if (typeof value === 'number') throw fail('an expression must use at least one metric');
  return value;
}

function combine(left: Series | number, operator: string, right: Series | number): Series | number {
  const apply = (a: number, b: number) =>
    operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : a / b;
  if (typeof left === 'number' && typeof right === 'number') return apply(left, right);
  const stamps = typeof left === 'number' ? [...(right as Series).keys()] : [...left.keys()];
  const result: Series = new Map();
  for (const stamp of stamps) {
    const a = typeof left === 'number' ? left : left.get(stamp);
    const b = typeof right === 'number' ? right : right.get(stamp);
    if (a === undefined || b === undefined) continue;
    const value = apply(a, b);
    if (Number.isFinite(value)) result.set(stamp, value);
  }
  return result;
}
