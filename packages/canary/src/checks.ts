// zod/mini: canary-gate reads its checks before anything else (CONTRIBUTING.md, "Cold start").
import * as z from 'zod/mini';
import { ConfigError, describeZodError, lazily } from '@recsys-actions/core';

/** The field the checks are given as (`runGate`'s `checks`); errors name it and paths below it. */
export const CHECKS_FIELD = 'checks';

export const CHECK_TYPES = ['ratio', 'value'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

const CHECKS_EXAMPLE =
  '[{ name: error-rate, type: ratio, bad: http_errors_total, total: http_requests_total, max: 0.02 }]';

/** How much worse than the baseline's a ratio check's rate may be when its `tolerance` is not given. */
export const DEFAULT_TOLERANCE = 0.1;

const seriesSchema = lazily(() =>
  z.string().check(z.trim(), z.minLength(1, 'must be a series name or a PromQL template')),
);
const nonNegative = () => z.number().check(z.gte(0));

const commonFields = lazily(() => ({
  name: z
    .string()
    .check(
      z.trim(),
      z.regex(/^[A-Za-z0-9][\w.-]*$/, 'must be letters, digits, dot, dash or underscore, e.g. error-rate'),
    ),
  weight: z._default(z.number().check(z.positive()), 1),
  critical: z._default(z.boolean(), false),
  max: z.optional(z.number()),
  min: z.optional(z.number()),
}));

const ratioCheckSchema = lazily(() =>
  z
    .strictObject({
      ...commonFields(),
      type: z.literal('ratio'),
      bad: z.optional(seriesSchema()),
      good: z.optional(seriesSchema()),
      total: seriesSchema(),
      // Left undefined when not given, so that threshold analysis, which cannot use it, can refuse it.
      tolerance: z.optional(nonNegative()),
    })
    .check(
      z.superRefine((check, ctx) => {
        if ((check.bad === undefined) === (check.good === undefined))
          ctx.addIssue({
            code: 'custom',
            path: [check.bad === undefined ? 'bad' : 'good'],
            message: 'set exactly one of bad (e.g. errors) or good (e.g. clicks) beside total',
          });
        if (check.good !== undefined && (check.tolerance ?? DEFAULT_TOLERANCE) >= 1)
          ctx.addIssue({
            code: 'custom',
            path: ['tolerance'],
            message: 'must be below 1 for a good/total check (0.1 accepts a good rate 10 % below baseline)',
          });
      }),
    ),
);

const valueCheckSchema = lazily(() =>
  z
    .strictObject({
      ...commonFields(),
      type: z.literal('value'),
      query: seriesSchema(),
      'max-increase': z.optional(nonNegative()),
      'max-decrease': z.optional(nonNegative().check(z.lte(1))),
    })
    .check(
      z.superRefine((check, ctx) => {
        const bounds = [check.max, check.min, check['max-increase'], check['max-decrease']];
        if (bounds.every((bound) => bound === undefined))
          ctx.addIssue({ code: 'custom', path: [], message: 'needs max, min, max-increase or max-decrease' });
      }),
    ),
);

const checkSchema = lazily(() =>
  z
    .discriminatedUnion('type', [ratioCheckSchema(), valueCheckSchema()], {
      error: (issue) =>
        issue.code === 'invalid_union' ? `type must be one of ${CHECK_TYPES.join(', ')}` : undefined,
    })
    .check(
      z.superRefine((check, ctx) => {
        if (check.max !== undefined && check.min !== undefined && check.min > check.max)
          ctx.addIssue({ code: 'custom', path: ['min'], message: `must not exceed max (${check.max})` });
      }),
    ),
);

/**
 * The `checks` input: a list rather than a map keyed by name, so that the order people write is the order
 * reports show and error paths such as `checks[1].bad` point at the entry.
 */
export const checksSchema = lazily(() =>
  z.array(checkSchema()).check(
    z.minLength(1, 'must list at least one check'),
    z.superRefine((checks, ctx) => {
      const seen = new Set<string>();
      checks.forEach((check, index) => {
        if (seen.has(check.name))
          ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `'${check.name}' is used twice` });
        seen.add(check.name);
      });
    }),
  ),
);

type ParsedCheck = z.output<ReturnType<typeof checkSchema>>;
export type ValueCheckConfig = Extract<ParsedCheck, { type: 'value' }>;
/** A ratio check with `bad`/`good` folded into the event series and the direction in which the rate gets worse. */
export type RatioCheckConfig = Omit<Extract<ParsedCheck, { type: 'ratio' }>, 'bad' | 'good'> & {
  readonly events: string;
  readonly worse: 'higher' | 'lower';
};
export type CheckConfig = RatioCheckConfig | ValueCheckConfig;

/** The relative worsening of the rate a ratio check accepts: its `tolerance`, or the default. */
export function toleranceOf(check: RatioCheckConfig): number {
  return check.tolerance ?? DEFAULT_TOLERANCE;
}

function normalize(check: ParsedCheck): CheckConfig {
  if (check.type === 'value') return check;
  const { bad, good, ...rest } = check;
  // The schema guarantees exactly one of the two.
  return bad === undefined
    ? { ...rest, events: good ?? '', worse: 'lower' }
    : { ...rest, events: bad, worse: 'higher' };
}

/** Validates parsed checks (e.g. from YAML); problems become a {@link ConfigError} with a path. */
export function parseChecks(yamlValue: unknown): CheckConfig[] {
  const parsed = checksSchema().safeParse(yamlValue);
  if (parsed.success) return parsed.data.map(normalize);
  throw new ConfigError(CHECKS_FIELD, describeZodError(parsed.error, CHECKS_FIELD), CHECKS_EXAMPLE);
}

export type Aggregation = 'sum' | 'last';
export interface SeriesRequest {
  readonly series: string;
  /** Counters are summed over the interval; gauges and quantiles take the interval's last value. */
  readonly aggregation: Aggregation;
}

/** The series a check needs per interval and version, keyed by the field that names them. */
export function seriesOf(check: CheckConfig): Record<string, SeriesRequest> {
  if (check.type === 'value') return { query: { series: check.query, aggregation: 'last' } };
  return {
    [check.worse === 'higher' ? 'bad' : 'good']: { series: check.events, aggregation: 'sum' },
    total: { series: check.total, aggregation: 'sum' },
  };
}
