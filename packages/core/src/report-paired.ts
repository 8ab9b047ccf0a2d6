import * as z from 'zod/mini';
import { lazily } from './lazily';

/**
 * validate-model's comparison of the challenger with the champion on the same users (recsys-eval's
 * PairedComparison): per metric the two means, the relative change with its percentile bootstrap intervals and
 * the sign-flip p-value with its Holm adjustment; and how far the two models' lists agree at each k.
 */
export const pairedComparisonSchema = lazily(() =>
  z.looseObject({
    users: z.object({
      compared: z.number(),
      shared: z.number(),
      challengerOnly: z.number(),
      baselineOnly: z.number(),
    }),
    method: z.looseObject({
      interval: z.string(),
      resamples: z.number(),
      seed: z.number(),
      test: z.string(),
      flips: z.number(),
      adjustment: z.string(),
    }),
    metrics: z.array(
      z.object({
        name: z.string(),
        challenger: z.number(),
        baseline: z.number(),
        // A champion mean of 0 makes the relative change infinite, which JSON writes as null.
        relativeChange: z.nullable(z.number()),
        intervals: z.array(
          z.object({ confidence: z.number(), lower: z.nullable(z.number()), upper: z.nullable(z.number()) }),
        ),
        pValue: z.number(),
        adjustedPValue: z.number(),
      }),
    ),
    agreement: z.object({
      rboP: z.number(),
      atK: z.array(
        z.object({
          k: z.number(),
          jaccard: z.number(),
          rbo: z.number(),
          identical: z.number(),
          coverage: z.object({
            challenger: z.number(),
            baseline: z.number(),
            gained: z.number(),
            lost: z.number(),
          }),
        }),
      ),
    }),
  }),
);
export type PairedComparisonReport = z.infer<ReturnType<typeof pairedComparisonSchema>>;
