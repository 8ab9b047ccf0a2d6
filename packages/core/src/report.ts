import * as z from 'zod/mini';
import './zod-english';
import { lazily } from './lazily';
import { reportSectionSchema } from './report-sections';
import { pairedComparisonSchema } from './report-paired';

export const ACTION_NAMES = [
  'validate-model',
  'shift-traffic',
  'canary-gate',
  'drift-check',
  'rollback',
  'notify-slack',
  'deployment-report',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/**
 * Every verdict any action can reach. Each action uses its own subset (validate-model: pass/warn/fail,
 * canary-gate: promote/rollback/inconclusive, ...); keeping one list lets every renderer colour any report.
 */
export const VERDICTS = [
  'pass',
  'warn',
  'fail',
  'promote',
  'rollback',
  'inconclusive',
  'drift',
  'no-drift',
  'shifted',
  'unchanged',
  'rolled-back',
  'sent',
  'ok',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The verdicts each action can reach; a new action adds its own line here. */
export const ACTION_VERDICTS = {
  'validate-model': ['pass', 'warn', 'fail'],
  'shift-traffic': ['shifted', 'unchanged', 'rolled-back'],
  'canary-gate': ['promote', 'rollback', 'inconclusive'],
  'drift-check': ['drift', 'no-drift'],
  rollback: ['rolled-back', 'unchanged'],
  'notify-slack': ['sent', 'warn'],
  'deployment-report': ['ok', 'warn'],
} as const satisfies Record<ActionName, readonly Verdict[]>;
export type ActionVerdict<A extends ActionName> = (typeof ACTION_VERDICTS)[A][number];

export type Tone = 'success' | 'warning' | 'failure' | 'neutral';

const TONES: Record<Verdict, Tone> = {
  pass: 'success',
  promote: 'success',
  'no-drift': 'success',
  shifted: 'success',
  sent: 'success',
  ok: 'success',
  warn: 'warning',
  inconclusive: 'warning',
  drift: 'warning',
  'rolled-back': 'warning',
  fail: 'failure',
  rollback: 'failure',
  unchanged: 'neutral',
};

export function verdictTone(verdict: Verdict): Tone {
  return TONES[verdict];
}

export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'skip', 'no-data'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** One line of evidence behind a verdict, in a form every renderer (Markdown, Slack) can show. */
export const checkSchema = lazily(() =>
  z.object({
    name: z.string(),
    status: z.enum(CHECK_STATUSES),
    severity: z.optional(z.enum(['critical', 'warning'])),
    value: z.optional(z.nullable(z.number())),
    baseline: z.optional(z.nullable(z.number())),
    /** The rule as people read it, e.g. "≥ 0.42" or "≤ baseline × 1.1". */
    threshold: z.optional(z.string()),
    message: z.optional(z.string()),
  }),
);
export type Check = z.infer<ReturnType<typeof checkSchema>>;

export const REPORT_SCHEMA_VERSION = 1;

/** A traffic split as reports carry it: the versions served and their share in percent. */
export const reportSplitSchema = lazily(() =>
  z.object({
    targets: z.array(z.object({ version: z.string(), weight: z.number() })).check(z.minLength(1)),
    stickiness: z.optional(z.string()),
    /** A shadow: the share of requests copied to a version whose answers are dropped. */
    mirror: z.optional(z.object({ version: z.string(), percent: z.number() })),
  }),
);
export type ReportSplit = z.infer<ReturnType<typeof reportSplitSchema>>;

/** What a release step did to the journal (see the release package's JournalRecord). */
const journalRecord = lazily(() =>
  z.object({
    key: z.string(),
    outcome: z.nullable(z.string()),
    reconciled: z.array(z.object({ key: z.string(), result: z.string() })),
    unrecorded: z.optional(z.string()),
  }),
);
const numberRecord = lazily(() => z.record(z.string(), z.number()));

/**
 * Each action's `details`. Renderers read these typed fields, so a renamed or missing key fails a parse in their
 * tests instead of leaving a line that silently never appears. Objects are loose: a key added later is kept.
 * Nested evidence that only the action's own README documents stays `unknown` here.
 */
export const validateModelDetailsSchema = lazily(() =>
  z.looseObject({
    metrics: numberRecord(),
    baseline: z.nullable(numberRecord()),
    /** Rows and users read, when the metrics were computed from recommendations; null for a metrics file. */
    counts: z.nullable(z.record(z.string(), z.number())),
    failOn: z.enum(['critical', 'warning', 'never']),
    /**
     * Per-user diversity and serendipity at the largest k (Microsoft Recommenders' `user_diversity` and
     * `user_serendipity`), when computed from data with train interactions; the lowest values first, at most
     * `limit` rows each, `users` counting them all. Absent in reports written before it existed.
     */
    userTables: z.optional(
      z.nullable(
        z.object({
          k: z.number(),
          limit: z.number(),
          diversity: z.object({
            users: z.number(),
            rows: z.array(z.object({ user: z.string(), value: z.number() })),
          }),
          serendipity: z.object({
            users: z.number(),
            rows: z.array(z.object({ user: z.string(), value: z.number() })),
          }),
        }),
      ),
    ),
    /** The challenger against the champion's recommendations on the same users; absent in older reports. */
    paired: z.optional(z.nullable(pairedComparisonSchema())),
  }),
);

export const shiftTrafficDetailsSchema = lazily(() =>
  z.looseObject({
    /** null on the first shift, when no split was serving yet. */
    previousSplit: z.nullable(reportSplitSchema()),
    split: reportSplitSchema(),
    changed: z.boolean(),
    /** True when this step already ran in an earlier attempt of the run; nothing was done again. */
    repeated: z.boolean(),
    /** The stable version the split keeps; null when the canary takes all traffic. */
    stable: z.nullable(z.string()),
    router: z.string(),
    ledger: z.string(),
    journal: journalRecord(),
  }),
);
export type ShiftTrafficDetails = z.infer<ReturnType<typeof shiftTrafficDetailsSchema>>;

export const canaryGateDetailsSchema = lazily(() =>
  z.looseObject({
    analysis: z.string(),
    evidence: z.unknown(),
    intervals: z.readonly(z.array(z.unknown())),
    reason: z.string(),
    score: z.optional(z.nullable(z.number())),
  }),
);

export const driftCheckDetailsSchema = lazily(() =>
  z.looseObject({
    dataset: z.string(),
    driftShare: z.number(),
    driftedColumns: z.array(z.string()),
    columns: z.array(z.looseObject({ column: z.string() })),
    prediction: z.nullable(z.looseObject({ column: z.string() })),
    quality: z.unknown(),
    rows: z.unknown(),
    profileSource: z.enum(['cache', 'computed', 'profiles']),
    issueNumber: z.nullable(z.number()),
  }),
);

export const rollbackDetailsSchema = lazily(() =>
  z.looseObject({
    /** The versions left, comma-separated, as people read them; `fromVersions` has them one by one. */
    from: z.string(),
    fromVersions: z.array(z.string()),
    to: z.string(),
    reason: z.string(),
    healthBefore: z.unknown(),
    healthAfter: z.unknown(),
    durationMs: z.number(),
    previousSplit: reportSplitSchema(),
    split: reportSplitSchema(),
    router: z.string(),
    ledger: z.string(),
    /** this-step: done in an earlier attempt of the run; rolled-back: from-version took no traffic already. */
    already: z.nullable(z.enum(['this-step', 'rolled-back'])),
    /** The version that only received mirrored requests until this rollback ended its shadow. */
    endedShadow: z.optional(z.string()),
    journal: journalRecord(),
  }),
);

export const notifySlackDetailsSchema = lazily(() =>
  z.looseObject({
    attempts: z.number(),
    ts: z.nullable(z.string()),
    dryRun: z.boolean(),
  }),
);

const bandSchema = lazily(() => z.enum(['elite', 'high', 'medium', 'low']));
const distributionSchema = lazily(() =>
  z.looseObject({
    count: z.number(),
    median: z.nullable(z.number()),
    p90: z.nullable(z.number()),
  }),
);

/** The DORA metrics of each environment over the window (see @recsys-actions/insights); durations in ms. */
export const deploymentReportDetailsSchema = lazily(() =>
  z.looseObject({
    window: z.looseObject({ since: z.iso.datetime(), until: z.iso.datetime(), days: z.number() }),
    dora: z.looseObject({ name: z.string(), year: z.number(), url: z.string() }),
    minBand: bandSchema(),
    ledger: z.string(),
    environments: z.array(
      z.looseObject({
        environment: z.string(),
        deployments: z.number(),
        deploymentsPerDay: z.number(),
        deploymentsPerWeek: z.number(),
        leadTime: z.extend(distributionSchema(), { withoutCommit: z.number() }),
        changeFailureRate: z.looseObject({
          failed: z.number(),
          settled: z.number(),
          rate: z.nullable(z.number()),
        }),
        timeToRestore: distributionSchema(),
        inProgress: z.number(),
        revertedRollbacks: z.number(),
        bands: z.looseObject({
          deploymentFrequency: z.nullable(bandSchema()),
          leadTime: z.nullable(bandSchema()),
          changeFailureRate: z.nullable(bandSchema()),
          timeToRestore: z.nullable(bandSchema()),
        }),
      }),
    ),
    belowMinBand: z.array(z.looseObject({ environment: z.string(), metric: z.string(), band: bandSchema() })),
    history: z.array(
      z.looseObject({
        environment: z.string(),
        version: z.string(),
        startedAt: z.iso.datetime(),
        result: z.enum(['promoted', 'rolled-back', 'withdrawn', 'in-progress']),
        durationMs: z.number(),
        actor: z.string(),
        runUrl: z.nullable(z.string()),
      }),
    ),
    weeks: z.array(
      z.looseObject({
        week: z.string(),
        deployments: z.array(z.number()),
        leadTimeMedianHours: z.nullable(z.number()),
      }),
    ),
  }),
);
export type DeploymentReportDetails = z.infer<ReturnType<typeof deploymentReportDetailsSchema>>;

/** What every report carries, whichever action wrote it. */
const envelopeFields = lazily(() => ({
  /** One sentence saying what happened, shown as the headline everywhere. */
  title: z.string(),
  environment: z.optional(z.string()),
  model: z._default(
    z.object({
      version: z.optional(z.string()),
      baselineVersion: z.optional(z.string()),
      sha256: z.optional(z.string()),
      sizeBytes: z.optional(z.number()),
    }),
    {},
  ),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  links: z._default(
    z.object({
      repository: z.optional(z.string()),
      run: z.optional(z.string()),
      commit: z.optional(z.string()),
      pullRequest: z.optional(z.string()),
    }),
    {},
  ),
  checks: z._default(z.array(checkSchema()), []),
  /** Things a reader must not miss, e.g. "no baseline: change rules skipped". */
  notes: z._default(z.array(z.string()), []),
  /** Charts and tables shown after the checks, as data (see report-sections.ts); absent in older reports. */
  sections: z._default(z.array(reportSectionSchema()), []),
}));

function reportOf<A extends ActionName, D extends z.ZodMiniType>(action: A, details: D) {
  // Keys in this order, so every report file reads from what and which verdict down to the details.
  return z.object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    action: z.literal(action),
    verdict: z.enum(ACTION_VERDICTS[action]),
    ...envelopeFields(),
    details,
  });
}

/**
 * The report envelope: one member per action, told apart by `action`, each with its own verdicts and details.
 * A new action adds its verdicts to ACTION_VERDICTS and one member here.
 */
export const reportSchema = lazily(() =>
  z.discriminatedUnion('action', [
    reportOf('validate-model', validateModelDetailsSchema()),
    reportOf('shift-traffic', shiftTrafficDetailsSchema()),
    reportOf('canary-gate', canaryGateDetailsSchema()),
    reportOf('drift-check', driftCheckDetailsSchema()),
    reportOf('rollback', rollbackDetailsSchema()),
    reportOf('notify-slack', notifySlackDetailsSchema()),
    reportOf('deployment-report', deploymentReportDetailsSchema()),
  ]),
);
export type Report = z.infer<ReturnType<typeof reportSchema>>;
export type ReportInput = z.input<ReturnType<typeof reportSchema>>;
/** The report of one action, e.g. `ReportOf<'rollback'>['details']`. */
export type ReportOf<A extends ActionName> = Extract<Report, { action: A }>;

/** The share of traffic `version` gets in `split`, in percent; 0 when the split does not route to it. */
export function versionWeight(split: ReportSplit, version: string): number {
  return split.targets.find((target) => target.version === version)?.weight ?? 0;
}

/** Validates and normalises a report; throws a ZodError when it is not a suite report. */
export function parseReport(value: unknown): Report {
  return reportSchema().parse(value);
}

/** Validates a report that must come from `action`, typed as that action's member of the envelope. */
export function parseReportOf<A extends ActionName>(action: A, value: unknown): ReportOf<A> {
  const report = reportSchema().parse(value);
  if (report.action !== action) throw new Error(`Expected a ${action} report, got one from ${report.action}`);
  return report as ReportOf<A>;
}

/** The fields of action `A`'s report that its body fills in; {@link stampReport} adds the rest. */
export type ReportFields<A extends ActionName> = Omit<
  Extract<ReportInput, { action: A }>,
  'schemaVersion' | 'action' | 'startedAt' | 'finishedAt' | 'links'
>;

/** Completes a body's report with the envelope's own fields and validates it, finished now. */
export function stampReport<A extends ActionName>(
  action: A,
  fields: ReportFields<A>,
  run: { startedAt: Date; links: z.input<ReturnType<typeof envelopeFields>['links']> },
): ReportOf<A> {
  return parseReportOf(action, {
    ...fields,
    schemaVersion: REPORT_SCHEMA_VERSION,
    action,
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    links: run.links,
  });
}
