import { stickinessSchema, VERSION_PATTERN } from '@recsys-actions/traffic/split';
import { COMMIT_SHA_PATTERN, MODEL_SHA256_PATTERN, timestampSchema } from './events';
import { STEP_RESULTS, type StepIntent, type StepOutcome } from './journal';
import { KEPT_VERSIONS } from './state';

/*
 * Reading a file ledger checks every line. Zod builds a result and an issue list for each of the ~200 values of
 * an intent (its release state lists up to 150 versions), which made a ledger of 10 000 entries take ~0.5 s.
 * These checks apply the same rules as stepIntentSchema and stepOutcomeSchema directly to the parsed JSON. They
 * only ever answer "valid as it stands": anything they do not accept (a legacy event, an invalid entry, a URL
 * with surrounding spaces that zod would trim) goes to the zod schema, which gives the answer and the error.
 * test/entry-check.test.ts compares both on random entries.
 */

type Fields = Record<string, unknown>;

const fieldsOf = (...fields: string[]): ReadonlySet<string> => new Set(fields);

/** The fields of each strict object, as its zod schema declares them. */
export const ENTRY_FIELDS = {
  intent: fieldsOf(
    'type',
    'key',
    'step',
    'version',
    'from',
    'to',
    'stable',
    'leaving',
    'reason',
    'commitSha',
    'modelSha256',
    'before',
    'actor',
    'runUrl',
    'timestamp',
  ),
  outcome: fieldsOf('type', 'key', 'result', 'note', 'actor', 'runUrl', 'timestamp'),
  releaseState: fieldsOf('live', 'split', 'fullyLive', 'rolledBack', 'canary', 'seen'),
  canary: fieldsOf('version', 'stable'),
  split: fieldsOf('targets', 'stickiness', 'mirror'),
  target: fieldsOf('version', 'weight'),
  mirror: fieldsOf('version', 'percent'),
};
const STICKINESS: readonly unknown[] = stickinessSchema().options;
const RESULTS: readonly unknown[] = STEP_RESULTS;
const STEPS: readonly unknown[] = ['shift', 'rollback'];
// The pattern zod itself tests timestamps against (were it ever missing, every entry would go to zod).
const TIMESTAMP_PATTERN = timestampSchema().def.pattern ?? /(?!)/;
const TAB_OR_NEWLINE = /[\t\n\r]/;

/**
 * True when `document` is an intent or outcome that the journal's zod schemas accept and return unchanged; false
 * when they might not (then ask them).
 */
export function isWellFormedEntry(document: unknown): document is StepIntent | StepOutcome {
  if (!isRecord(document)) return false;
  if (document.type === 'intent') return isIntent(document);
  return document.type === 'outcome' && isOutcome(document);
}

function isIntent(entry: Fields): boolean {
  return (
    hasOnly(entry, ENTRY_FIELDS.intent) &&
    isText(entry.key, 1, 200) &&
    STEPS.includes(entry.step) &&
    isVersion(entry.version) &&
    (entry.from === null || isSplit(entry.from)) &&
    isSplit(entry.to) &&
    (entry.stable === undefined || isVersion(entry.stable)) &&
    (entry.leaving === undefined || isVersionList(entry.leaving, Infinity)) &&
    (entry.reason === undefined || isText(entry.reason, 1, 500)) &&
    (entry.commitSha === undefined || matches(entry.commitSha, COMMIT_SHA_PATTERN)) &&
    (entry.modelSha256 === undefined || matches(entry.modelSha256, MODEL_SHA256_PATTERN)) &&
    isReleaseState(entry.before) &&
    isRecordedBy(entry)
  );
}

function isOutcome(entry: Fields): boolean {
  return (
    hasOnly(entry, ENTRY_FIELDS.outcome) &&
    isText(entry.key, 1, 200) &&
    RESULTS.includes(entry.result) &&
    (entry.note === undefined || isText(entry.note, 0, 300)) &&
    isRecordedBy(entry)
  );
}

function isRecordedBy(entry: Fields): boolean {
  return (
    isText(entry.actor, 1, Infinity) &&
    (entry.runUrl === undefined || isUntouchedUrl(entry.runUrl)) &&
    matches(entry.timestamp, TIMESTAMP_PATTERN)
  );
}

/** z.url() accepts what URL parses, after trimming it and deleting tabs and newlines; here nothing to remove. */
function isUntouchedUrl(value: unknown): boolean {
  return (
    typeof value === 'string' && value.trim() === value && !TAB_OR_NEWLINE.test(value) && URL.canParse(value)
  );
}

function isReleaseState(value: unknown): boolean {
  if (!isRecord(value) || !hasOnly(value, ENTRY_FIELDS.releaseState)) return false;
  const { canary } = value;
  return (
    (value.live === undefined || isVersion(value.live)) &&
    (value.split === undefined || isSplit(value.split)) &&
    isVersionList(value.fullyLive, KEPT_VERSIONS) &&
    isVersionList(value.rolledBack, KEPT_VERSIONS) &&
    (canary === undefined ||
      (isRecord(canary) &&
        hasOnly(canary, ENTRY_FIELDS.canary) &&
        isVersion(canary.version) &&
        (canary.stable === undefined || isVersion(canary.stable)))) &&
    isVersionList(value.seen, 2 * KEPT_VERSIONS)
  );
}

/** splitSchema()'s fields and its refinements: weights add up to 100, no version twice, no serving shadow. */
function isSplit(value: unknown): boolean {
  if (!isRecord(value) || !hasOnly(value, ENTRY_FIELDS.split) || !STICKINESS.includes(value.stickiness))
    return false;
  const { targets, mirror } = value;
  if (
    mirror !== undefined &&
    !(
      isRecord(mirror) &&
      hasOnly(mirror, ENTRY_FIELDS.mirror) &&
      isVersion(mirror.version) &&
      isPercent(mirror.percent, 1)
    )
  )
    return false;
  if (!Array.isArray(targets) || targets.length === 0) return false;
  const named: unknown[] = [];
  let total = 0;
  for (const target of targets) {
    if (!isRecord(target) || !hasOnly(target, ENTRY_FIELDS.target)) return false;
    const { version, weight } = target;
    if (!isVersion(version) || !isPercent(weight, 0) || named.includes(version)) return false;
    if (weight > 0 && version === mirror?.version) return false;
    named.push(version);
    total += weight;
  }
  return total === 100;
}

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A strict object's rule: no field beyond those declared. for-in, as parsed JSON inherits no enumerable fields,
 * and it allocates no list of keys (fewer young-generation collections while the ledger is read).
 */
function hasOnly(value: Fields, fields: ReadonlySet<string>): boolean {
  for (const field in value) if (!fields.has(field)) return false;
  return true;
}

/** Lengths count UTF-16 code units, as zod's min and max do. */
function isText(value: unknown, min: number, max: number): boolean {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function matches(value: unknown, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

/**
 * The same few hundred versions recur in every intent's release state: each is tested against the pattern once.
 * Bounded, so a ledger of many distinct versions cannot grow it without limit.
 */
const validVersions = new Set<string>();
const MAX_REMEMBERED_VERSIONS = 10_000;

function isVersion(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (validVersions.has(value)) return true;
  if (!VERSION_PATTERN.test(value)) return false;
  if (validVersions.size < MAX_REMEMBERED_VERSIONS) validVersions.add(value);
  return true;
}

function isVersionList(value: unknown, max: number): boolean {
  return Array.isArray(value) && value.length <= max && value.every(isVersion);
}

function isPercent(value: unknown, min: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= 100;
}
