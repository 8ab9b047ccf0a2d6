import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import { splitSchema, versionSchema } from '@recsys-actions/traffic/split';

export const COMMIT_SHA_PATTERN = /^[0-9a-f]{7,40}$/;
export const MODEL_SHA256_PATTERN = /^[0-9a-f]{64}$/;
export const commitShaSchema = lazily(() => z.string().regex(COMMIT_SHA_PATTERN, 'must be a hex commit SHA'));
export const modelSha256Schema = z.string().regex(MODEL_SHA256_PATTERN, 'must be 64 hex digits');
/** When an entry was recorded: ISO 8601 with seconds and a zone (`Z` or an offset). */
export const timestampSchema = lazily(() => z.iso.datetime({ offset: true }));

/** Who did what, from where: the fields every event carries. */
const provenance = lazily(() => ({
  version: versionSchema(),
  /** The GitHub login (or bot) that triggered the run. */
  actor: z.string().min(1),
  runUrl: z.url().optional(),
  commitSha: commitShaSchema().optional(),
  modelSha256: modelSha256Schema.optional(),
  timestamp: timestampSchema(),
  /** The split in force after the event, when the writer knew it. */
  split: splitSchema().optional(),
  /** Quality or canary metrics that justified the event, by name. */
  metrics: z.record(z.string(), z.number()).optional(),
}));

/**
 * The plain history ledgers held before the journal: one event per change of a version's state. It is only read
 * now (see stateFromEvents); steps write intents and outcomes.
 */
export const ledgerEventSchema = lazily(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('validated'), ...provenance() }).strict(),
    z
      .object({ type: z.literal('canary'), weight: z.number().int().min(0).max(100), ...provenance() })
      .strict(),
    z.object({ type: z.literal('promoted'), ...provenance() }).strict(),
    z.object({ type: z.literal('rolled-back'), reason: z.string().min(1), ...provenance() }).strict(),
    z.object({ type: z.literal('superseded'), ...provenance() }).strict(),
  ]),
);

/** One step in the life of a model version in one environment. */
export type LedgerEvent = z.infer<ReturnType<typeof ledgerEventSchema>>;
export type LedgerEventType = LedgerEvent['type'];

/** The provenance() shared by the events one run recorded. */
export type EventContext = Omit<LedgerEvent, 'type' | 'version' | 'weight' | 'reason'>;
