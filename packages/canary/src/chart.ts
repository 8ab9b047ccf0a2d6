import type { CheckConfig } from './checks';
import type { EngineState } from './engine';
import { chartSeries } from './report-checks';
import { formatSignificant, type Chart, type ChartSection, type ChartSeries } from '@recsys-actions/core';

/** More points than this are averaged in runs of neighbours, so a long run stays readable. */
export const MAX_CHART_POINTS = 60;

const CANARY_COLOUR = '#e8590c';
const BASELINE_COLOUR = '#1c7ed6';
const LIMIT_COLOUR = '#c92a2a';
const MIN_WIDTH = 600;
const MAX_WIDTH = 1200;
const WIDTH_PER_POINT = 20;

interface Point {
  readonly elapsedSeconds: number;
  readonly canary: number;
  readonly baseline: number;
}

/**
 * One chart section per check: the canary's and the baseline's rate (in %) or value per interval. Intervals where either side had no data are left out, and said so, rather
 * than drawn as zeros that would look like a perfect canary.
 */
export function gateCharts(state: EngineState): ChartSection[] {
  const series = chartSeries(state);
  return state.checks.map((check) => {
    const data = series[check.name];
    const points: Point[] = [];
    data?.elapsedSeconds.forEach((elapsedSeconds, i) => {
      const canary = data.canary[i];
      const baseline = data.baseline[i];
      if (isPlottable(canary) && isPlottable(baseline)) points.push({ elapsedSeconds, canary, baseline });
    });
    const missing = state.history.length - points.length;
    return {
      kind: 'chart',
      title: `${check.name}: canary vs baseline`,
      ...checkChart(check, points, missing),
    };
  });
}

function checkChart(
  check: CheckConfig,
  points: Point[],
  missing: number,
): Pick<ChartSection, 'intro' | 'charts' | 'footnote'> {
  if (points.length === 0)
    return {
      intro: `No data to chart: none of the ${missing} intervals had data for both the canary and the baseline.`,
      charts: [],
    };
  const scale = check.type === 'ratio' ? 100 : 1;
  const plotted = downsample(points).map((point) => ({
    ...point,
    canary: point.canary * scale,
    baseline: point.baseline * scale,
  }));
  const { limits, offChart } = thresholdSeries(check, plotted);
  const notes = [`Orange: canary; blue: baseline${limits.length > 0 ? '; red: its limit' : ''}.`];
  if (offChart.length > 0) notes.push(`${offChart.join(', ')}, far from the data, is not drawn.`);
  if (plotted.length < points.length)
    notes.push(`Each point averages ${Math.ceil(points.length / MAX_CHART_POINTS)} intervals.`);
  if (missing > 0)
    notes.push(`${missing} interval(s) without data for the canary or the baseline are left out.`);
  // The unit follows the first interval's length, before averaging stretches it.
  const inMinutes = (points[0]?.elapsedSeconds ?? 0) >= 60;
  return { charts: [plottedChart(check, plotted, limits, inMinutes)], footnote: notes.join(' ') };
}

function plottedChart(
  check: CheckConfig,
  plotted: Point[],
  limits: ChartSeries[],
  inMinutes: boolean,
): Chart {
  const values = [
    ...plotted.flatMap((point) => [point.canary, point.baseline]),
    ...limits.flatMap((series) => series.values),
  ];
  const low = Math.min(0, ...values);
  const high = niceCeiling(Math.max(...values) * 1.1) || low + 1;
  return {
    title: check.name,
    xAxis: {
      label: `${inMinutes ? 'minutes' : 'seconds'} since the canary started`,
      labels: plotted.map((point) => (inMinutes ? point.elapsedSeconds / 60 : point.elapsedSeconds)),
    },
    yAxis: { label: check.type === 'ratio' ? 'rate (%)' : 'value', range: { min: low, max: high } },
    series: [
      { name: 'canary', style: 'line', values: plotted.map((point) => point.canary), colour: CANARY_COLOUR },
      {
        name: 'baseline',
        style: 'line',
        values: plotted.map((point) => point.baseline),
        colour: BASELINE_COLOUR,
      },
      ...limits,
    ],
    size: { width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, plotted.length * WIDTH_PER_POINT)), height: 300 },
  };
}

/**
 * The check's absolute bounds (`max`, `min`) as flat lines in the chart's unit, so a breach shows at a glance. A
 * bound more than twice as far from zero as the data would squash the lines it is meant to judge, so it is only
 * named in the footnote.
 */
function thresholdSeries(
  check: CheckConfig,
  plotted: Point[],
): { limits: ChartSeries[]; offChart: string[] } {
  const scale = check.type === 'ratio' ? 100 : 1;
  const reach = Math.max(...plotted.flatMap((point) => [Math.abs(point.canary), Math.abs(point.baseline)]));
  const limits: ChartSeries[] = [];
  const offChart: string[] = [];
  for (const [name, bound] of [
    ['max', check.max],
    ['min', check.min],
  ] as const) {
    if (bound === undefined || !Number.isFinite(bound * scale)) continue;
    const value = bound * scale;
    if (Math.abs(value) > 2 * reach) offChart.push(`The ${name} ${formatSignificant(value)}`);
    else
      limits.push({
        name,
        style: 'line',
        values: Array<number>(plotted.length).fill(value),
        colour: LIMIT_COLOUR,
      });
  }
  return { limits, offChart };
}

function isPlottable(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Averages runs of neighbouring points so that at most MAX_CHART_POINTS remain, each labelled by its last. */
function downsample(points: Point[]): Point[] {
  const size = Math.ceil(points.length / MAX_CHART_POINTS);
  if (size <= 1) return points;
  const groups: Point[] = [];
  for (let start = 0; start < points.length; start += size) {
    const group = points.slice(start, start + size);
    const mean = (pick: (point: Point) => number) =>
      group.reduce((sum, point) => sum + pick(point), 0) / group.length;
    groups.push({
      elapsedSeconds: group.at(-1)?.elapsedSeconds ?? 0,
      canary: mean((point) => point.canary),
      baseline: mean((point) => point.baseline),
    });
  }
  return groups;
}

/** The next "round" number at or above `value` (1, 2, 2.5 or 5 times a power of ten), for the y-axis top. */
function niceCeiling(value: number): number {
  if (value <= 0) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * power >= value) ?? 10;
  const nice = Number((step * power).toPrecision(3));
  // Near Number.MAX_VALUE the round number overflows; the value itself is then the top.
  return Number.isFinite(nice) ? nice : Number.isFinite(value) ? value : Number.MAX_VALUE;
}
