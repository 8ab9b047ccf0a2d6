import {
  formatPercent,
  InputError,
  numberInput,
  optionalText,
  type InputSpec,
  type PairedComparisonReport,
  type ReportSectionInput,
} from '@recsys-actions/core';
import type { PairedEvidence, Thresholds } from '@recsys-actions/quality-gate';
import type { PairedComparison, PairedOptions } from '@recsys-actions/recsys-eval';

/** The inputs of the paired comparison with the champion's recommendations; defaults match action.yml. */
export function pairedInputSpecs() {
  return {
    baselineRecommendations: optionalText('baseline-recommendations', 'champion/recommendations.csv'),
    confidence: openIntervalInput('confidence', 0.5, 1, 0.95),
    resamples: numberInput('resamples', {
      fallback: 1000,
      min: 1,
      max: 1_000_000,
      integer: true,
      example: '1000',
    }),
    seed: numberInput('seed', { fallback: 19, min: 0, max: 4_294_967_295, integer: true, example: '19' }),
    rboP: openIntervalInput('rbo-p', 0, 1, 0.9),
  };
}

/** A number strictly between two bounds, as a confidence level or a persistence must be. */
function openIntervalInput(name: string, low: number, high: number, fallback: number): InputSpec<number> {
  const number = numberInput(name, { fallback, example: String(fallback) });
  return {
    ...number,
    parse(raw) {
      const value = number.parse(raw);
      if (!(value > low && value < high))
        throw new InputError(
          name,
          `must lie strictly between ${low} and ${high}, got '${raw}'`,
          String(fallback),
        );
      return value;
    },
  };
}

interface PairedInputs {
  readonly recommendations?: string;
  readonly baselineRecommendations?: string;
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
  readonly rboP: number;
  readonly thresholds: Thresholds;
}

/** The champion's lists are compared with computed ones: without `recommendations` there is nothing to pair. */
export function checkPairedInputs(
  inputs: Pick<PairedInputs, 'recommendations' | 'baselineRecommendations'>,
): void {
  if (inputs.baselineRecommendations && !inputs.recommendations) {
    throw new InputError(
      'recommendations',
      'is required with `baseline-recommendations`: the champion is compared with the challenger on the same users',
      'eval/recommendations.csv',
    );
  }
}

/**
 * The comparison's options, or undefined without a champion file. The report's confidence comes first; each
 * rule's own confidence adds an interval, so every rule is judged at the level it asks for.
 */
export function pairedOptions(
  inputs: PairedInputs,
  file: (input: string, value: string) => string,
): PairedOptions | undefined {
  if (!inputs.baselineRecommendations) return undefined;
  const ruleLevels = Object.values(inputs.thresholds).flatMap((rule) =>
    rule.confidence === undefined ? [] : [rule.confidence],
  );
  return {
    recommendations: file('baseline-recommendations', inputs.baselineRecommendations),
    confidences: [...new Set([inputs.confidence, ...ruleLevels])],
    resamples: inputs.resamples,
    seed: inputs.seed,
    rboP: inputs.rboP,
  };
}

/** Package fields of the comparison, mapped to the inputs that set them. */
export const PAIRED_FIELDS = {
  baselineRecommendations: { input: 'baseline-recommendations' },
  confidence: { input: 'confidence' },
  rboP: { input: 'rbo-p' },
  resamples: { input: 'resamples' },
  seed: { input: 'seed' },
};

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

/** The comparison as the report holds it: a change against a champion mean of 0 is infinite, JSON's null. */
export function pairedForReport(comparison: PairedComparison): PairedComparisonReport {
  return {
    ...comparison,
    metrics: comparison.metrics.map((metric) => ({
      ...metric,
      relativeChange: finiteOrNull(metric.relativeChange),
      intervals: metric.intervals.map((interval) => ({
        confidence: interval.confidence,
        lower: finiteOrNull(interval.lower),
        upper: finiteOrNull(interval.upper),
      })),
    })),
  };
}

/** What the quality gate's confidence rules judge: each metric's change and intervals. */
export function pairedEvidence(comparison: PairedComparison | undefined): PairedEvidence {
  const evidence: Record<string, PairedEvidence[string]> = {};
  for (const metric of comparison?.metrics ?? []) {
    evidence[metric.name] = {
      baseline: metric.baseline,
      relativeChange: metric.relativeChange,
      intervals: metric.intervals,
    };
  }
  return evidence;
}

const percent = (value: number) => formatPercent(value, { sign: 'always', digits: 'tenths' });

/** Rounded for the chart: mermaid draws hundredths of a percent no better than tenths. */
const chartPercent = (value: number) => (Number.isFinite(value) ? Math.round(value * 10_000) / 100 : 0);

/** The chart of every metric's change with its interval, the table beside it, and the agreement table. */
export function pairedSections(comparison: PairedComparison): ReportSectionInput[] {
  const confidence = comparison.metrics[0]?.intervals[0]?.confidence ?? 0.95;
  const level = formatPercent(confidence);
  const { users, method } = comparison;
  const intro =
    `${users.compared} users with a relevant interaction and a list from both models; ` +
    `${level} ${method.interval} intervals (${method.resamples} resamples, seed ${method.seed}), ` +
    `${method.test} p-values over ${method.flips} sign sets, Holm-adjusted across ${comparison.metrics.length} metrics.`;
  const names = comparison.metrics.map((metric) => metric.name);
  return [
    {
      kind: 'chart',
      title: 'Challenger against champion',
      intro,
      charts: [
        {
          title: `Relative change with its ${level} interval (%)`,
          xAxis: { labels: names },
          yAxis: { label: 'change %' },
          series: [
            {
              name: 'change',
              style: 'bar',
              values: comparison.metrics.map((m) => chartPercent(m.relativeChange)),
            },
            {
              name: 'lower',
              style: 'line',
              values: comparison.metrics.map((m) => chartPercent(m.intervals[0]?.lower ?? 0)),
            },
            {
              name: 'upper',
              style: 'line',
              values: comparison.metrics.map((m) => chartPercent(m.intervals[0]?.upper ?? 0)),
            },
          ],
        },
      ],
    },
    metricsTable(comparison, level),
    agreementTable(comparison),
  ];
}

function metricsTable(comparison: PairedComparison, level: string): ReportSectionInput {
  return {
    kind: 'table',
    title: 'Paired comparison on the same users',
    columns: [
      { header: 'Metric', format: 'code' },
      { header: 'Champion', format: 'number' },
      { header: 'Challenger', format: 'number' },
      { header: 'Change', format: 'text' },
      { header: `${level} interval`, format: 'text' },
      { header: 'p', format: 'number' },
      { header: 'Holm p', format: 'number' },
    ],
    rows: comparison.metrics.map((metric) => {
      const interval = metric.intervals[0];
      return [
        metric.name,
        metric.baseline,
        metric.challenger,
        percent(metric.relativeChange),
        interval ? `${percent(interval.lower)} to ${percent(interval.upper)}` : '',
        metric.pValue,
        metric.adjustedPValue,
      ];
    }),
  };
}

function agreementTable({ agreement, users }: PairedComparison): ReportSectionInput {
  return {
    kind: 'table',
    title: 'Agreement between the two models’ lists',
    intro: `${users.shared} users with a list from both models (${users.challengerOnly} only from the challenger, ${users.baselineOnly} only from the champion).`,
    columns: [
      { header: 'k', format: 'number' },
      { header: 'Jaccard', format: 'number' },
      { header: `RBO (p = ${agreement.rboP})`, format: 'number' },
      { header: 'Identical top-k', format: 'text' },
      { header: 'Items reached (champion → challenger)', format: 'text' },
      { header: 'Gained', format: 'number' },
      { header: 'Lost', format: 'number' },
    ],
    rows: agreement.atK.map((row) => [
      row.k,
      row.jaccard,
      row.rbo,
      formatPercent(row.identical, { digits: 'tenths' }),
      `${row.coverage.baseline} → ${row.coverage.challenger}`,
      row.coverage.gained,
      row.coverage.lost,
    ]),
  };
}
