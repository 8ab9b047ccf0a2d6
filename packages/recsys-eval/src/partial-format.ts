import { DataError, lazily } from '@recsys-actions/core';
import { z } from 'zod';
import { NDCG_GAINS } from './options';
import { RANKING_SUMS } from './ranking-metrics';

/** What a partial result file says it is: the first thing checked, before any field is trusted. */
export const PARTIAL_FORMAT = 'recsys-eval-partial';
/** Bumped on any change a reader of the previous version would misread; merging refuses mixed versions. */
export const PARTIAL_VERSION = 1;

const count = lazily(() => z.number().int().nonnegative());
const perCutoff = lazily(() => z.array(z.number()));
const userSums = lazily(() => z.strictObject({ sums: perCutoff(), users: z.array(count()) }));
const lowestUsers = lazily(() =>
  z.strictObject({
    users: count(),
    lowest: z.array(z.strictObject({ user: z.string(), value: z.number() })),
  }),
);

/** Welford's running mean and sum of squared deviations, merged across shards with Chan's formula. */
const moments = lazily(() => z.strictObject({ mean: z.number(), m2: z.number() }));

const ratingSchema = lazily(() =>
  z.strictObject({
    predictionRows: count(),
    matchedRows: count(),
    squaredError: z.number(),
    absoluteError: z.number(),
    ratings: moments(),
    errors: moments(),
    /** Whether the shard could label its pairs 0/1 (a threshold, or 0/1 ratings), as auc and logloss need. */
    binaryLabels: z.boolean(),
    /** Σ of the per-pair log loss terms; null when the shard has no labels or a prediction outside [0, 1]. */
    logLossSum: z.number().nullable(),
    /** The shard's first prediction outside [0, 1], for the note that explains a missing logloss. */
    notProbability: z.number().nullable(),
  }),
);

const trainSchema = lazily(() =>
  z.strictObject({
    /** SHA-256 of the train-interactions file: every shard must have read the same, whole file. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    rows: count(),
    distinctItems: count(),
    untrainedRows: count(),
    /** Every item in a shard's top-max(k) lists, whether train has it, and its rows within each top-k. */
    items: z.array(z.string()),
    trained: z.array(z.boolean()),
    topRows: z.array(z.array(count())),
    information: perCutoff(),
    trainedRows: z.array(count()),
    diversity: userSums().nullable(),
    serendipity: userSums().nullable(),
    userTables: z.strictObject({ diversity: lowestUsers(), serendipity: lowestUsers() }),
  }),
);

export const partialSchema = lazily(() =>
  z.strictObject({
    format: z.literal(PARTIAL_FORMAT),
    version: z.literal(PARTIAL_VERSION),
    k: z.array(z.number().int().positive()).min(1),
    ndcgGain: z.enum(NDCG_GAINS),
    relevanceThreshold: z.number().nullable(),
    counts: z.strictObject({
      users: count(),
      recommendationRows: count(),
      recommendationUsers: count(),
      groundTruthRows: count(),
      groundTruthUsers: count(),
      evaluatedUsers: count(),
      interactionUsers: count(),
    }),
    ranking: z.strictObject(
      Object.fromEntries(RANKING_SUMS.map((name) => [name, perCutoff()])) as Record<
        (typeof RANKING_SUMS)[number],
        ReturnType<typeof perCutoff>
      >,
    ),
    rating: ratingSchema().nullable(),
    train: trainSchema().nullable(),
  }),
);

/** A shard's metrics as sums and counts; see the package README ("Shards") for every field. */
export type EvaluationPartial = z.infer<ReturnType<typeof partialSchema>>;
export type RatingPartial = z.infer<ReturnType<typeof ratingSchema>>;
export type TrainPartial = z.infer<ReturnType<typeof trainSchema>>;
export type Moments = z.infer<ReturnType<typeof moments>>;

/** Parses one partial file's text, naming the file and the first field that is wrong. */
export function parsePartial(path: string, text: string): EvaluationPartial {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataError(
      path,
      `is not JSON; expected a partial result written by validate-model's partial-only`,
    );
  }
  const head = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (head.format !== PARTIAL_FORMAT) {
    throw new DataError(
      path,
      `has format ${JSON.stringify(head.format)} (field 'format'); expected '${PARTIAL_FORMAT}', a partial result written by partial-only`,
    );
  }
  if (head.version !== PARTIAL_VERSION) {
    throw new DataError(
      path,
      `has format version ${JSON.stringify(head.version)} (field 'version'); this version reads ${PARTIAL_VERSION}: write every shard with the same release`,
    );
  }
  const parsed = partialSchema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(top level)';
    throw new DataError(path, `has an invalid field '${field}': ${issue?.message ?? 'unreadable'}`);
  }
  return parsed.data;
}
