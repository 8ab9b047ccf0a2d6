import type { CheckConfig } from './checks';
import type { IntervalCounts } from './stats/ratio-martingale';

/** What telemetry returned for one check, one version and one interval. */
export type Sample =
  | { readonly kind: 'ratio'; readonly events: number; readonly total: number }
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'no-data' }
  | { readonly kind: 'error'; readonly message: string };

export interface SamplePair {
  readonly canary: Sample;
  readonly baseline: Sample;
}

/** One interval of telemetry, fed to {@link step}. A check missing from `checks` counts as no data. */
export interface Observation {
  readonly index: number;
  readonly elapsedSeconds: number;
  readonly checks: Readonly<Record<string, SamplePair>>;
}

/** One interval of one check as usable evidence: the rate or value of each version, or why there is none. */
export type Reading =
  | {
      readonly status: 'ok';
      readonly canary: number;
      readonly baseline: number;
      readonly counts?: IntervalCounts;
    }
  | { readonly status: 'no-data'; readonly message: string }
  | { readonly status: 'error'; readonly message: string };

export function readInterval(check: CheckConfig, pair: SamplePair | undefined): Reading {
  if (pair === undefined) return { status: 'no-data', message: 'no data: telemetry returned nothing' };
  const arms = [
    ['canary', pair.canary],
    ['baseline', pair.baseline],
  ] as const;
  for (const [arm, sample] of arms)
    if (sample.kind === 'error') return { status: 'error', message: `${arm}: ${sample.message}` };
  for (const [arm, sample] of arms) {
    const problem = unusable(check, sample);
    if (problem) return { ...problem, message: `${arm}: ${problem.message}` };
  }
  if (pair.canary.kind === 'ratio' && pair.baseline.kind === 'ratio') {
    const counts = {
      canaryEvents: pair.canary.events,
      canaryTotal: pair.canary.total,
      baselineEvents: pair.baseline.events,
      baselineTotal: pair.baseline.total,
    };
    return {
      status: 'ok',
      canary: counts.canaryEvents / counts.canaryTotal,
      baseline: counts.baselineEvents / counts.baselineTotal,
      counts,
    };
  }
  if (pair.canary.kind === 'value' && pair.baseline.kind === 'value')
    return { status: 'ok', canary: pair.canary.value, baseline: pair.baseline.value };
  throw new Error(`unreachable: samples of check '${check.name}' were vetted above`);
}

function unusable(
  check: CheckConfig,
  sample: Sample,
): { status: 'no-data' | 'error'; message: string } | undefined {
  if (sample.kind === 'no-data') return { status: 'no-data', message: 'no data' };
  if (sample.kind === 'error') return { status: 'error', message: sample.message };
  // A sample of the wrong kind is a bug in whoever fetched it, not something the user can fix.
  if (sample.kind !== check.type)
    throw new Error(`check '${check.name}' is a ${check.type} check but was fed a ${sample.kind} sample`);
  // ±Inf is a value like any other (a query dividing by zero), and a max or min must see it rather than skip
  // the interval. NaN cannot be judged, and is not the same as no data (an empty answer): PromQL returns it for
  // 0/0, e.g. a quantile or a mean over an interval without requests.
  if (sample.kind === 'value')
    return Number.isNaN(sample.value)
      ? {
          status: 'error',
          message:
            'the query returned NaN, which cannot be judged (PromQL returns it for 0/0, e.g. a quantile over an interval without requests)',
        }
      : undefined;
  if (!(sample.events >= 0 && sample.total >= 0 && Number.isFinite(sample.events + sample.total)))
    return {
      status: 'error',
      message: `counts must be finite and ≥ 0, got ${sample.events}/${sample.total}`,
    };
  // More bad events than events at all is a broken query (swapped series, a counter reset), not a terrible canary.
  if (sample.events > sample.total)
    return {
      status: 'error',
      message: `counts must have events ≤ total, got ${sample.events}/${sample.total}`,
    };
  return sample.total === 0 ? { status: 'no-data', message: 'no data (total is 0)' } : undefined;
}
