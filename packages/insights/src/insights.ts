import type { JournalStep } from '@recsys-actions/ledger';
import { DORA_REPORT, isBelow, type Band, type MetricName } from './bands';
import {
  inWindow,
  leadTimeOf,
  measureEnvironment,
  promotedCommits,
  releasesOf,
  type CommitTimes,
  type EnvironmentMetrics,
  type ReportWindow,
} from './metrics';
import { quantile } from './quantile';
import { decidedAt, releaseResult, type Release, type ReleaseResult } from './releases';

export interface EnvironmentHistory {
  environment: string;
  /** Journal steps, oldest first (see Ledger.history), reaching back before the window far enough to see releases start. */
  steps: readonly JournalStep[];
}

/** The releases of each environment, and the commits whose times the lead time needs (looked up by the caller). */
export interface PreparedInsights {
  window: ReportWindow;
  environments: (ReturnType<typeof releasesOf> & { environment: string })[];
  commits: string[];
}

export function prepareInsights(
  histories: readonly EnvironmentHistory[],
  window: ReportWindow,
): PreparedInsights {
  const environments = histories.map(({ environment, steps }) => ({
    environment,
    ...releasesOf(environment, steps, window),
  }));
  const commits = [...new Set(environments.flatMap(({ releases }) => promotedCommits(releases, window)))];
  return { window, environments, commits };
}

export type HistoryRow = {
  environment: string;
  version: string;
  startedAt: string;
  result: ReleaseResult;
  /** From its start to its promotion, rollback or withdrawal; to the window's end while in progress. */
  durationMs: number;
  actor: string;
  runUrl: string | null;
};

export type WeekRow = {
  /** The Monday (UTC) the week starts on, YYYY-MM-DD. */
  week: string;
  /** Promotions finished that week, per environment in the order asked for. */
  deployments: number[];
  /** Median lead time of that week's promotions over all environments, in hours; null without any. */
  leadTimeMedianHours: number | null;
};

export type BelowBand = {
  environment: string;
  metric: MetricName;
  band: Band;
};

/** Everything deployment-report says, as plain data: its `details` and the source of its sections. */
export type DeploymentInsights = {
  window: { since: string; until: string; days: number };
  dora: typeof DORA_REPORT;
  minBand: Band;
  environments: EnvironmentMetrics[];
  belowMinBand: BelowBand[];
  history: HistoryRow[];
  weeks: WeekRow[];
};

export interface InsightOptions {
  /** How many of the newest releases the history lists. */
  historySize: number;
  /** Metrics below this band make the report a warning. */
  minBand: Band;
}

const DAY_MS = 86_400_000;

export function summariseInsights(
  prepared: PreparedInsights,
  commitTimes: CommitTimes,
  options: InsightOptions,
): DeploymentInsights {
  const { window } = prepared;
  const environments = prepared.environments.map((environment) =>
    measureEnvironment(environment.environment, environment, window, commitTimes),
  );
  const releases = prepared.environments.flatMap((environment) => environment.releases);
  return {
    window: {
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      days: (window.until.getTime() - window.since.getTime()) / DAY_MS,
    },
    dora: DORA_REPORT,
    minBand: options.minBand,
    environments,
    belowMinBand: environments.flatMap((metrics) => belowBand(metrics, options.minBand)),
    history: historyRows(releases, window, options.historySize),
    weeks: weekRows(prepared, commitTimes),
  };
}

function belowBand(metrics: EnvironmentMetrics, minimum: Band): BelowBand[] {
  return (Object.entries(metrics.bands) as [MetricName, Band | null][]).flatMap(([metric, band]) =>
    band !== null && isBelow(band, minimum) ? [{ environment: metrics.environment, metric, band }] : [],
  );
}

/** The newest releases that started by the window's end and were not settled before it began, newest first. */
function historyRows(releases: readonly Release[], window: ReportWindow, size: number): HistoryRow[] {
  const shown = releases.filter((release) => {
    const settled = decidedAt(release);
    return settled === undefined || settled >= window.since.getTime();
  });
  return shown
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, size)
    .map((release) => ({
      environment: release.environment,
      version: release.version,
      startedAt: new Date(release.startedAt).toISOString(),
      result: releaseResult(release),
      durationMs: (decidedAt(release) ?? window.until.getTime()) - release.startedAt,
      actor: release.actor,
      runUrl: release.runUrl ?? null,
    }));
}

function weekRows(prepared: PreparedInsights, commitTimes: CommitTimes): WeekRow[] {
  const { window } = prepared;
  const starts = weekStarts(window);
  const weekOf = (at: number) => starts.findLastIndex((start) => start <= at);
  const rows = starts.map((start) => ({
    week: new Date(start).toISOString().slice(0, 10),
    deployments: prepared.environments.map(() => 0),
    leadTimes: [] as number[],
  }));
  prepared.environments.forEach(({ releases }, environmentIndex) => {
    for (const release of releases) {
      if (!inWindow(release.promotedAt, window)) continue;
      const row = rows[weekOf(release.promotedAt)];
      if (row === undefined) continue;
      row.deployments[environmentIndex] = (row.deployments[environmentIndex] ?? 0) + 1;
      const leadTime = leadTimeOf(release, commitTimes);
      if (leadTime !== undefined) row.leadTimes.push(leadTime);
    }
  });
  return rows.map(({ week, deployments, leadTimes }) => {
    const median = quantile(leadTimes, 0.5);
    return { week, deployments, leadTimeMedianHours: median === null ? null : median / 3_600_000 };
  });
}

/** The Mondays (UTC midnight) of every week the window touches. */
function weekStarts(window: ReportWindow): number[] {
  const first = new Date(window.since);
  first.setUTCHours(0, 0, 0, 0);
  first.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
  const starts: number[] = [];
  for (let start = first.getTime(); start <= window.until.getTime(); start += 7 * DAY_MS) starts.push(start);
  return starts;
}
