import { UserFacingError } from '@recsys-actions/core';

export type Role = 'canary' | 'baseline';

/**
 * How a series is reduced within one interval: counters hold increments, so they `sum`; gauges and
 * quantiles keep the `last` sample. Sources whose query language aggregates by itself (PromQL) ignore it.
 */
export type Aggregation = 'sum' | 'last';

/** One series of one check, for one side of the comparison. */
export interface SeriesQuery {
  /** A series name (file source) or a query template (Prometheus), exactly as the check field holds it. */
  readonly expression: string;
  readonly aggregation: Aggregation;
  readonly role: Role;
  readonly version: string;
  readonly environment: string;
}

/** An analysis interval, in seconds since the canary started; it covers (startSeconds, endSeconds]. */
export interface IntervalWindow {
  readonly index: number;
  readonly startSeconds: number;
  readonly endSeconds: number;
}

export interface MetricSource {
  /** True when data only exists once the interval has passed, so the caller must wait for it in real time. */
  readonly realtime: boolean;
  /**
   * Rejects, before any waiting starts, an expression this source can never answer (a typo in a series name,
   * an unknown placeholder), throwing a ConfigError that names `field`, e.g. `checks[0].bad`.
   */
  validate(expression: string, field: string): void;
  /** The aggregated value of the series in the window, or undefined when it has no data there. */
  read(query: SeriesQuery, window: IntervalWindow): Promise<number | undefined>;
}

export type MetricSourceFailure =
  /** The provider could not be reached (connection refused, DNS, TLS). */
  | 'unreachable'
  | 'timeout'
  /** The provider answered with an HTTP error status or `status: error`. */
  | 'provider-error'
  /** The provider answered something that is not a valid query response. */
  | 'bad-response'
  /** A valid response that cannot be one number, e.g. several series where one was expected. */
  | 'not-a-single-value';

/**
 * A failure to read one series. The canary gate counts these per interval instead of stopping, because an
 * outage of the metrics backend must not be mistaken for a healthy (or an unhealthy) canary.
 * Messages never contain credentials.
 */
export class MetricSourceError extends UserFacingError {
  override name = 'MetricSourceError';
  constructor(
    readonly failure: MetricSourceFailure,
    message: string,
    readonly details: { httpStatus?: number; errorType?: string } = {},
  ) {
    super(message);
  }
}
