// zod/mini, not classic zod: validate-model reads its thresholds before anything else (CONTRIBUTING.md, "Cold start").
import * as z from 'zod/mini';
import { lazily } from '@recsys-actions/core';

/**
 * One rule per metric. Bounds are inclusive (`min: 0.42` passes 0.42). Change rules follow MLflow's
 * MetricThreshold: relative change is (candidate − baseline) / |baseline|; a negative minimum tolerates a
 * bounded regression.
 */
export const metricRuleSchema = lazily(() =>
  z
    .strictObject({
      min: z.optional(z.number()),
      max: z.optional(z.number()),
      severity: z._default(z.enum(['critical', 'warning']), 'critical'),
      'min-absolute-change': z.optional(z.number()),
      'min-relative-change': z.optional(z.number()),
      'greater-is-better': z.optional(z.boolean()),
      /**
       * Decide `min-relative-change` on the paired bootstrap interval at this confidence instead of the point
       * change: fail only when the interval lies wholly below it, pass when wholly at or above, warn otherwise.
       */
      confidence: z.optional(
        z.number().check(
          z.refine((value) => value > 0.5 && value < 1, {
            message: 'must lie strictly between 0.5 and 1, e.g. 0.95',
          }),
        ),
      ),
    })
    .check(
      z.refine((rule) => rule.min === undefined || rule.max === undefined || rule.min <= rule.max, {
        message: 'min must not be greater than max',
      }),
      z.refine(
        (rule) =>
          rule.min !== undefined ||
          rule.max !== undefined ||
          rule['min-absolute-change'] !== undefined ||
          rule['min-relative-change'] !== undefined,
        { message: 'give at least one of min, max, min-absolute-change, min-relative-change' },
      ),
      z.refine((rule) => rule.confidence === undefined || rule['min-relative-change'] !== undefined, {
        message: 'confidence decides min-relative-change on an interval: give min-relative-change too',
      }),
    ),
);

/**
 * zod's record silently drops a `__proto__` key (assigning it would replace the prototype), which would drop
 * that rule and let the gate pass; it is refused up front instead.
 */
export const thresholdsSchema = lazily(() =>
  z.pipe(
    z.unknown().check(
      z.refine((value) => !(value && typeof value === 'object' && Object.hasOwn(value, '__proto__')), {
        message: "'__proto__' cannot name a metric",
      }),
    ),
    z.record(z.string().check(z.minLength(1)), metricRuleSchema()),
  ),
);

export type MetricRule = z.infer<ReturnType<typeof metricRuleSchema>>;
export type Thresholds = z.infer<ReturnType<typeof thresholdsSchema>>;

export function hasChangeRule(rule: MetricRule): boolean {
  return rule['min-absolute-change'] !== undefined || rule['min-relative-change'] !== undefined;
}

/** Metrics where smaller is better; every other known metric is taken as greater-is-better. */
const LOWER_IS_BETTER = /^(rmse|mae|mse|log_?loss|loss)$|latency|_ms$|_seconds$|time|size|error/i;

/**
 * Direction used by change rules: the rule's own `greater-is-better`, else the convention for well-known
 * names (error, loss, latency, time and size metrics shrink when they improve).
 */
export function greaterIsBetter(metric: string, rule: MetricRule): boolean {
  return rule['greater-is-better'] ?? !LOWER_IS_BETTER.test(metric);
}
