import { z } from 'zod';
import { reportSectionSchema } from './report-sections';

export const ACTION_NAMES = [
  'validate-model',
  'shift-traffic',
  'canary-gate',
  'drift-check',
  'rollback',
  'notify-slack',
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
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The verdicts each action can reach; a new action (deployment-report is planned) adds its own line here. */
export const ACTION_VERDICTS = {
  'validate-model': ['pass', 'warn', 'fail'],
  'shift-traffic': ['shifted', 'unchanged'],
  'canary-gate': ['promote', 'rollback', 'inconclusive'],
  'drift-check': ['drift', 'no-drift'],
  rollback: ['rolled-back', 'unchanged'],
  'notify-slack': ['sent', 'warn'],
} as const satisfies Record<ActionName, readonly Verdict[]>;
export type ActionVerdict<A extends ActionName> = (typeof ACTION_VERDICTS)[A][number];

export type Tone = 'success' | 'warning' | 'failure' | 'neutral';

const TONES: Record<Verdict, Tone> = {
  pass: 'success',
  promote: 'success',
  'no-drift': 'success',
  shifted: 'success',
  sent: 'success',
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
export const checkSchema = z.object({
  name: z.string(),
  status: z.enum(CHECK_STATUSES),
  severity: z.enum(['critical', 'warning']).optional(),
  value: z.number().nullable().optional(),
  baseline: z.number().nullable().optional(),
  /** The rule as people read it, e.g. "≥ 0.42" or "≤ baseline × 1.1". */
  threshold: z.string().optional(),
  message: z.string().optional(),
});
export type Check = z.infer<typeof checkSchema>;

export const REPORT_SCHEMA_VERSION = 1;

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  action: z.enum(ACTION_NAMES),
  verdict: z.enum(VERDICTS),
  /** One sentence saying what happened, shown as the headline everywhere. */
  title: z.string(),
  environment: z.string().optional(),
  model: z
    .object({
      version: z.string().optional(),
      baselineVersion: z.string().optional(),
      sha256: z.string().optional(),
      sizeBytes: z.number().optional(),
    })
    .default({}),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  links: z
    .object({
      repository: z.string().optional(),
      run: z.string().optional(),
      commit: z.string().optional(),
      pullRequest: z.string().optional(),
    })
    .default({}),
  checks: z.array(checkSchema).default([]),
  /** Things a reader must not miss, e.g. "no baseline: change rules skipped". */
  notes: z.array(z.string()).default([]),
  /** Action-specific data; its shape is documented by each action. */
  details: z.record(z.string(), z.unknown()).default({}),
  /** Charts and tables shown after the checks, as data (see report-sections.ts); absent in older reports. */
  sections: z.array(reportSectionSchema).default([]),
});
export type Report = z.infer<typeof reportSchema>;
export type ReportInput = z.input<typeof reportSchema>;

/** A traffic split as reports carry it: the versions served and their share in percent. */
export const reportSplitSchema = z.object({
  targets: z.array(z.object({ version: z.string(), weight: z.number().finite() })).min(1),
  stickiness: z.string().optional(),
});
export type ReportSplit = z.infer<typeof reportSplitSchema>;

/**
 * The `details` shift-traffic publishes. Renderers parse through this schema instead of reading loose keys, so a
 * renamed or missing key shows up as a failed parse in their tests rather than as a line that silently never
 * appears.
 */
export const shiftTrafficDetailsSchema = z.looseObject({
  /** null on the first shift, when no split was serving yet. */
  previousSplit: reportSplitSchema.nullable(),
  split: reportSplitSchema,
  changed: z.boolean(),
  router: z.string(),
  ledger: z.string(),
  recorded: z.array(z.object({ type: z.string(), version: z.string() })),
});
export type ShiftTrafficDetails = z.infer<typeof shiftTrafficDetailsSchema>;

/** The share of traffic `version` gets in `split`, in percent; 0 when the split does not route to it. */
export function versionWeight(split: ReportSplit, version: string): number {
  return split.targets.find((target) => target.version === version)?.weight ?? 0;
}

/** Validates and normalises a report; throws a ZodError when it is not a suite report. */
export function parseReport(value: unknown): Report {
  return reportSchema.parse(value);
}
