import type { JournalStep } from '@recsys-actions/ledger';
import { bandOf, type Band, type MetricName } from './bands';
import { quantile } from './quantile';
import { decidedAt, foldReleases, releaseResult, type Release } from './releases';

/** The stretch of time a report covers, [since, until]. */
export interface ReportWindow {
  since: Date;
  until: Date;
}

/** Durations in milliseconds; medians and 90th percentiles null when there is nothing to measure. */
export type Distribution = {
  count: number;
  median: number | null;
  p90: number | null;
};

export type EnvironmentMetrics = {
  environment: string;
  /** Promotions that finished in the window. */
  deployments: number;
  deploymentsPerDay: number;
  deploymentsPerWeek: number;
  /** From each promoted commit's time to its promotion. */
  leadTime: Distribution & { withoutCommit: number };
  /** Releases settled in the window that were rolled back, over all settled there (withdrawn ones excluded). */
  changeFailureRate: { failed: number; settled: number; rate: number | null };
  /** From the start of each rolled-back release to the end of its rollback. */
  timeToRestore: Distribution;
  /** Releases still a canary when the window ends. */
  inProgress: number;
  /** Rollbacks in the window that reverted an earlier rollback. */
  revertedRollbacks: number;
  bands: Record<MetricName, Band | null>;
};

/** When a commit was made, by SHA (git's committer date), in ms; missing when nobody could tell. */
export type CommitTimes = ReadonlyMap<string, number>;

const DAY_MS = 86_400_000;

/** The steps as they stood at the window's end: later steps, and outcomes recorded after it, are not yet known. */
export function stepsUntil(steps: readonly JournalStep[], until: Date): JournalStep[] {
  const end = until.getTime();
  return steps
    .filter((step) => Date.parse(step.intent.timestamp) <= end)
    .map((step) =>
      step.outcome && Date.parse(step.outcome.timestamp) > end
        ? { ref: step.ref, intent: step.intent }
        : step,
    );
}

export function releasesOf(environment: string, steps: readonly JournalStep[], window: ReportWindow) {
  return foldReleases(environment, stepsUntil(steps, window.until));
}

/** The commits whose times the lead time needs: those of promotions in the window. */
export function promotedCommits(releases: readonly Release[], window: ReportWindow): string[] {
  return [
    ...new Set(
      releases
        .filter((release) => inWindow(release.promotedAt, window))
        .flatMap((release) => (release.commitSha ? [release.commitSha] : [])),
    ),
  ];
}

export function measureEnvironment(
  environment: string,
  { releases, revertedRollbacks }: ReturnType<typeof releasesOf>,
  window: ReportWindow,
  commitTimes: CommitTimes,
): EnvironmentMetrics {
  const days = (window.until.getTime() - window.since.getTime()) / DAY_MS;
  const promoted = releases.filter((release) => inWindow(release.promotedAt, window));
  const leadTimes = promoted.flatMap((release) => leadTimeOf(release, commitTimes) ?? []);
  const settled = releases.filter(
    (release) => inWindow(decidedAt(release), window) && releaseResult(release) !== 'withdrawn',
  );
  const failed = settled.filter((release) => releaseResult(release) === 'rolled-back');
  const restores = failed.map((release) => (release.rolledBackAt as number) - release.startedAt);
  const perDay = days > 0 ? promoted.length / days : 0;
  const leadTime = { ...distribution(leadTimes), withoutCommit: promoted.length - leadTimes.length };
  const rate = settled.length === 0 ? null : failed.length / settled.length;
  const timeToRestore = distribution(restores);
  return {
    environment,
    deployments: promoted.length,
    deploymentsPerDay: perDay,
    deploymentsPerWeek: perDay * 7,
    leadTime,
    changeFailureRate: { failed: failed.length, settled: settled.length, rate },
    timeToRestore,
    inProgress: releases.filter((release) => releaseResult(release) === 'in-progress').length,
    revertedRollbacks: revertedRollbacks.filter((at) => inWindow(at, window)).length,
    bands: {
      deploymentFrequency: bandOf('deploymentFrequency', perDay),
      leadTime: bandOf('leadTime', leadTime.median),
      changeFailureRate: bandOf('changeFailureRate', rate),
      timeToRestore: bandOf('timeToRestore', timeToRestore.median),
    },
  };
}

/** From the commit's time to the promotion's end; undefined when either is unknown. */
export function leadTimeOf(release: Release, commitTimes: CommitTimes): number | undefined {
  const committed = release.commitSha === undefined ? undefined : commitTimes.get(release.commitSha);
  return committed === undefined || release.promotedAt === undefined
    ? undefined
    : release.promotedAt - committed;
}

function distribution(values: number[]): Distribution {
  return { count: values.length, median: quantile(values, 0.5), p90: quantile(values, 0.9) };
}

export function inWindow(at: number | undefined, window: ReportWindow): at is number {
  return at !== undefined && at >= window.since.getTime() && at <= window.until.getTime();
}
