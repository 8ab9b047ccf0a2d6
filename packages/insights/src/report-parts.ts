import type { Check, ReportSectionInput } from '@recsys-actions/core';
import { DORA_REPORT, DORA_THRESHOLDS, isBelow, type Band, type MetricName } from './bands';
import type { DeploymentInsights } from './insights';
import type { EnvironmentMetrics } from './metrics';

const METRIC_LABELS: Record<MetricName, string> = {
  deploymentFrequency: 'deployment frequency',
  leadTime: 'lead time for changes',
  changeFailureRate: 'change failure rate',
  timeToRestore: 'time to restore',
};

const HOUR_MS = 3_600_000;
/** One colour per environment, in order; the charts repeat them past the sixth. */
const COLOURS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#868e96'];

/** One check per environment and metric: its band against min-band, the value in the unit people read. */
export function insightChecks(insights: DeploymentInsights): Check[] {
  return insights.environments.flatMap((metrics) =>
    (Object.keys(METRIC_LABELS) as MetricName[]).map((metric) =>
      metricCheck(metrics, metric, insights.minBand),
    ),
  );
}

function metricCheck(metrics: EnvironmentMetrics, metric: MetricName, minBand: Band): Check {
  const band = metrics.bands[metric];
  const below = band !== null && isBelow(band, minBand);
  const { value, message } = metricValue(metrics, metric);
  return {
    name: `${metrics.environment}: ${METRIC_LABELS[metric]}`,
    status: band === null ? 'no-data' : below ? 'warn' : 'pass',
    value,
    threshold: `${minBand} or better (${DORA_THRESHOLDS[metric].wording[minBand]})`,
    message: band === null ? message : `${band}: ${message}`,
  };
}

function metricValue(
  metrics: EnvironmentMetrics,
  metric: MetricName,
): { value: number | null; message: string } {
  switch (metric) {
    case 'deploymentFrequency':
      return {
        value: round(metrics.deploymentsPerWeek),
        message: `${metrics.deployments} promotion(s), ${round(metrics.deploymentsPerWeek)} a week`,
      };
    case 'leadTime':
      return hoursValue(metrics.leadTime, 'promotion(s) with a known commit time');
    case 'changeFailureRate': {
      const { failed, settled, rate } = metrics.changeFailureRate;
      const percent = rate === null ? null : round(rate * 100);
      return {
        value: percent,
        message:
          settled === 0
            ? 'no release settled'
            : `${failed} of ${settled} release(s) rolled back (${percent}%)`,
      };
    }
    case 'timeToRestore':
      return hoursValue(metrics.timeToRestore, 'rolled-back release(s)');
  }
}

function hoursValue(
  distribution: EnvironmentMetrics['timeToRestore'],
  what: string,
): { value: number | null; message: string } {
  if (distribution.median === null) return { value: null, message: `no ${what.replace(/\(s\)/, 's')}` };
  const median = round(distribution.median / HOUR_MS);
  const p90 = round((distribution.p90 ?? distribution.median) / HOUR_MS);
  return { value: median, message: `median ${median} h, p90 ${p90} h over ${distribution.count} ${what}` };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The history table and the two weekly charts, as data for every renderer. */
export function insightSections(insights: DeploymentInsights): ReportSectionInput[] {
  return [historySection(insights), deploymentsChart(insights), leadTimeChart(insights)];
}

function historySection(insights: DeploymentInsights): ReportSectionInput {
  return {
    kind: 'table',
    title: `Last ${insights.history.length} release(s)`,
    ...(insights.history.length === 0 ? { intro: 'No release started or settled in the window.' } : {}),
    columns: [
      { header: 'Environment', format: 'code' },
      { header: 'Version', format: 'code' },
      { header: 'Started', format: 'text' },
      { header: 'Verdict', format: 'text' },
      { header: 'Duration (h)', format: 'number' },
      { header: 'Who', format: 'code' },
      { header: 'Run', format: 'text' },
    ],
    rows: insights.history.map((row) => [
      row.environment,
      row.version,
      row.startedAt.replace(/:\d\d\.\d{3}Z$/, 'Z'),
      row.result.replace('-', ' '),
      round(row.durationMs / HOUR_MS),
      row.actor,
      row.runUrl,
    ]),
  };
}

function deploymentsChart(insights: DeploymentInsights): ReportSectionInput {
  return {
    kind: 'chart',
    title: 'Deployments per week',
    intro: `Promotions that finished each week (weeks start on Monday, UTC); ${seriesKey(insights)}.`,
    charts: [
      {
        title: 'Promotions per week',
        xAxis: { label: 'week', labels: insights.weeks.map((row) => row.week) },
        yAxis: { label: 'promotions' },
        series: insights.environments.map((metrics, index) => ({
          name: metrics.environment,
          style: 'bar',
          values: insights.weeks.map((row) => row.deployments[index] ?? 0),
          colour: COLOURS[index % COLOURS.length],
        })),
      },
    ],
  };
}

function leadTimeChart(insights: DeploymentInsights): ReportSectionInput {
  const weeks = insights.weeks.filter((row) => row.leadTimeMedianHours !== null);
  return {
    kind: 'chart',
    title: 'Lead time trend',
    intro:
      weeks.length === 0
        ? 'No promotion with a known commit time in the window, so there is no lead time to draw.'
        : 'Median hours from commit to promotion, per week with promotions, over all environments.',
    charts:
      weeks.length === 0
        ? []
        : [
            {
              title: 'Median lead time for changes',
              xAxis: { label: 'week', labels: weeks.map((row) => row.week) },
              yAxis: { label: 'hours' },
              series: [
                {
                  name: 'median lead time',
                  style: 'line',
                  values: weeks.map((row) => round(row.leadTimeMedianHours ?? 0)),
                  colour: COLOURS[0],
                },
              ],
            },
          ],
    footnote: `Bands: ${DORA_REPORT.name}.`,
  };
}

function seriesKey(insights: DeploymentInsights): string {
  const names = ['blue', 'orange', 'green', 'purple', 'yellow', 'grey'];
  return insights.environments
    .map((metrics, index) => `${names[index % names.length]}: ${metrics.environment}`)
    .join(', ');
}
