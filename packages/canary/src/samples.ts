import { seriesOf, type CheckConfig } from './checks';
import type { Sample, SamplePair } from './observation';
import {
  MetricSourceError,
  type IntervalWindow,
  type MetricSource,
  type Role,
} from '@recsys-actions/telemetry';

export interface Versions {
  readonly canary: string;
  readonly baseline: string;
}

/** Who is being read: the version of each role and the deployment environment, for query templates. */
export interface Subject {
  readonly versions: Versions;
  readonly environment: string;
}

type Read = { value: number | undefined } | { error: string };

/**
 * Reads one check's series for both roles in one window. A failing read becomes an `error` sample rather than
 * an exception, because one outage of the metrics backend must be counted by the analysis, not end the gate.
 */
export async function readCheckInterval(
  source: MetricSource,
  check: CheckConfig,
  subject: Subject,
  window: IntervalWindow,
): Promise<SamplePair> {
  const [canary, baseline] = await Promise.all(
    (['canary', 'baseline'] as const).map((role) => readRole(source, check, subject, role, window)),
  );
  return { canary: canary as Sample, baseline: baseline as Sample };
}

async function readRole(
  source: MetricSource,
  check: CheckConfig,
  subject: Subject,
  role: Role,
  window: IntervalWindow,
): Promise<Sample> {
  const reads = await Promise.all(
    Object.entries(seriesOf(check)).map(async ([field, request]): Promise<[string, Read]> => {
      const query = {
        expression: request.series,
        aggregation: request.aggregation,
        role,
        version: subject.versions[role],
        environment: subject.environment,
      };
      try {
        return [field, { value: await source.read(query, window) }];
      } catch (error) {
        if (error instanceof MetricSourceError) return [field, { error: error.message }];
        throw error;
      }
    }),
  );
  const values: Record<string, number | undefined> = {};
  for (const [field, read] of reads) {
    if ('error' in read) return { kind: 'error', message: read.error };
    values[field] = read.value;
  }
  return toSample(check, values);
}

/** Builds the analysis sample from the values read, keyed like {@link seriesOf}; undefined is no data. */
function toSample(check: CheckConfig, values: Record<string, number | undefined>): Sample {
  if (check.type === 'value') {
    const value = values.query;
    return value === undefined ? { kind: 'no-data' } : { kind: 'value', value };
  }
  const events = values[check.worse === 'higher' ? 'bad' : 'good'];
  const total = values.total;
  return events === undefined || total === undefined ? { kind: 'no-data' } : { kind: 'ratio', events, total };
}
