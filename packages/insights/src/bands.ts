/**
 * The DORA performance bands, from one pinned report: Google Cloud's DORA "Accelerate State of DevOps Report
 * 2023", table "Software delivery performance" (elite, high, medium and low clusters). The report words each
 * cell as a range ("between once per day and once per week", "less than one day", "5%"); the cut-offs below are
 * the upper edge of each better band, so every value falls in exactly one band. docs/dora-metrics.md lists the
 * published wording beside these numbers. This is the one table the code reads.
 */
export const DORA_REPORT = {
  name: 'Accelerate State of DevOps Report 2023',
  year: 2023,
  url: 'https://dora.dev/research/2023/dora-report/',
} as const;

export const BANDS = ['elite', 'high', 'medium', 'low'] as const;
export type Band = (typeof BANDS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type MetricName = 'deploymentFrequency' | 'leadTime' | 'changeFailureRate' | 'timeToRestore';

interface Thresholds {
  /** `higher`: a value at or above a cut-off reaches its band; `lower`: at or below. */
  better: 'higher' | 'lower';
  /** The cut-offs of elite, high and medium; anything beyond medium's is low. */
  elite: number;
  high: number;
  medium: number;
  /** How the report words each band, for the docs and the report's checks. */
  wording: Record<Band, string>;
}

export const DORA_THRESHOLDS: Record<MetricName, Thresholds> = {
  /** Promotions per day. */
  deploymentFrequency: {
    better: 'higher',
    elite: 1,
    high: 1 / 7,
    medium: 1 / 30,
    wording: {
      elite: 'on demand (several a day)',
      high: 'between once a day and once a week',
      medium: 'between once a week and once a month',
      low: 'less than once a month',
    },
  },
  /** Milliseconds from commit to promotion (median). */
  leadTime: {
    better: 'lower',
    elite: DAY_MS,
    high: 7 * DAY_MS,
    medium: 30 * DAY_MS,
    wording: {
      elite: 'less than one day',
      high: 'between one day and one week',
      medium: 'between one week and one month',
      low: 'more than one month',
    },
  },
  /** Rolled-back releases over all decided releases, as a fraction. */
  changeFailureRate: {
    better: 'lower',
    elite: 0.05,
    high: 0.1,
    medium: 0.15,
    wording: { elite: '5%', high: '10%', medium: '15%', low: 'above 15% (the cluster sat at 64%)' },
  },
  /** Milliseconds from the start of a bad release to the end of its rollback (median). */
  timeToRestore: {
    better: 'lower',
    elite: HOUR_MS,
    high: DAY_MS,
    medium: 7 * DAY_MS,
    wording: {
      elite: 'less than one hour',
      high: 'less than one day',
      medium: 'between one day and one week',
      low: 'more than one week',
    },
  },
};

/** The band of `value`; null when there is nothing to measure (no promotion, no decided release). */
export function bandOf(metric: MetricName, value: number | null): Band | null {
  if (value === null) return null;
  const table = DORA_THRESHOLDS[metric];
  const reaches = (cutOff: number) => (table.better === 'higher' ? value >= cutOff : value <= cutOff);
  if (reaches(table.elite)) return 'elite';
  if (reaches(table.high)) return 'high';
  return reaches(table.medium) ? 'medium' : 'low';
}

/** True when `band` is below `minimum` (elite is the top). */
export function isBelow(band: Band, minimum: Band): boolean {
  return BANDS.indexOf(band) > BANDS.indexOf(minimum);
}
