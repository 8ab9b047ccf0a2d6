import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  insightChecks,
  prepareInsights,
  summariseInsights,
  type DeploymentInsights,
  type EnvironmentHistory,
} from '../src/index';
import { JournalWriter } from './ledgers';
import {
  COMMITS,
  MARCH,
  writeCanaryRevert,
  writeProduction,
  writeQa,
  writeQuiet,
  writeStaging,
} from './scenarios';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const commitTimes = new Map(Object.values(COMMITS).map(({ sha, at }) => [sha, Date.parse(at)]));

async function historyOf(
  environment: string,
  write: (writer: JournalWriter) => Promise<void>,
): Promise<EnvironmentHistory> {
  const writer = JournalWriter.file(mkdtempSync(join(tmpdir(), 'insights-')), environment);
  await write(writer);
  const { steps } = await writer.ledger.history(new Date(0));
  return { environment, steps };
}

async function insightsOf(
  histories: EnvironmentHistory[],
  minBand: 'elite' | 'high' | 'medium' | 'low' = 'low',
): Promise<DeploymentInsights> {
  const prepared = prepareInsights(histories, MARCH);
  return summariseInsights(prepared, commitTimes, { historySize: 20, minBand });
}

describe('deployment insights from generated ledgers (answers computed by hand in the comments)', () => {
  it('measures production: 3 promotions, lead 25 h / 2 h / 72 h, 2 of 4 rolled back, restores 31 min and 24 h 5 min', async () => {
    const insights = await insightsOf([await historyOf('production', writeProduction)]);
    const [production] = insights.environments;
    expect(production).toMatchObject({
      environment: 'production',
      deployments: 3,
      inProgress: 0,
      revertedRollbacks: 0,
      changeFailureRate: { failed: 2, settled: 4, rate: 0.5 },
      bands: {
        deploymentFrequency: 'medium',
        leadTime: 'high',
        changeFailureRate: 'low',
        timeToRestore: 'high',
      },
    });
    // 3 promotions over 28 days.
    expect(production?.deploymentsPerDay).toBeCloseTo(3 / 28, 12);
    expect(production?.deploymentsPerWeek).toBeCloseTo(0.75, 12);
    // Sorted 2, 25, 72 h: the median is 25 h, p90 at rank 1.8 is 25 + 0.8 × 47 = 62.6 h.
    expect(production?.leadTime).toEqual({ count: 3, median: 25 * HOUR, p90: 62.6 * HOUR, withoutCommit: 0 });
    // 31 and 1445 minutes: the median 738, p90 31 + 0.9 × 1414 = 1303.6.
    expect(production?.timeToRestore.count).toBe(2);
    expect(production?.timeToRestore.median).toBe(738 * MINUTE);
    expect(production?.timeToRestore.p90).toBeCloseTo(1303.6 * MINUTE, 6);
    expect(
      insights.history.map((row) => [row.version, row.result, row.durationMs / MINUTE, row.actor]),
    ).toEqual([
      ['v5', 'rolled-back', 24 * 60 + 5, 'alice'],
      ['v4', 'rolled-back', 31, 'alice'],
      ['v3', 'promoted', 61, 'alice'],
      ['v2', 'promoted', 182, 'alice'],
    ]);
  });

  it('counts a rollback of a rollback once: the first as a failed release, the second as a reverted rollback', async () => {
    const insights = await insightsOf([await historyOf('qa', writeQa)]);
    const [qa] = insights.environments;
    expect(qa).toMatchObject({
      deployments: 2,
      revertedRollbacks: 1,
      changeFailureRate: { failed: 1, settled: 2, rate: 0.5 },
      // No promotion names a commit, so there is no lead time to band.
      leadTime: { count: 0, median: null, p90: null, withoutCommit: 2 },
      // From v2's canary (03-04 10:00) to the end of its rollback (03-05 10:02).
      timeToRestore: { count: 1, median: (24 * 60 + 2) * MINUTE, p90: (24 * 60 + 2) * MINUTE },
      bands: { leadTime: null, timeToRestore: 'medium' },
    });
  });

  it('counts the revert of a rollback made during a canary as a reverted rollback, not a failure of the stable version', async () => {
    const insights = await insightsOf([await historyOf('canary-qa', writeCanaryRevert)]);
    expect(insights.environments[0]).toMatchObject({
      deployments: 0,
      revertedRollbacks: 1,
      // Only v2 settled in March: its canary was rolled back 31 minutes after it began.
      changeFailureRate: { failed: 1, settled: 1, rate: 1 },
      timeToRestore: { count: 1, median: 31 * MINUTE },
    });
    expect(insights.history.map((row) => [row.version, row.result])).toEqual([['v2', 'rolled-back']]);
  });

  it('leaves a release in progress at the window edge out of the failure rate, and ignores what finished after it', async () => {
    const insights = await insightsOf([await historyOf('staging', writeStaging)]);
    const [staging] = insights.environments;
    expect(staging).toMatchObject({
      deployments: 1,
      inProgress: 1,
      // v2's commit was made exactly one day before its promotion: elite is "at most one day".
      leadTime: { count: 1, median: 24 * HOUR },
      changeFailureRate: { failed: 0, settled: 1, rate: 0 },
      timeToRestore: { count: 0, median: null },
      bands: {
        deploymentFrequency: 'medium',
        leadTime: 'elite',
        changeFailureRate: 'elite',
        timeToRestore: null,
      },
    });
    expect(insights.history[0]).toMatchObject({ version: 'v3', result: 'in-progress', durationMs: 4 * HOUR });
  });

  it('reports a window without releases as low frequency and nothing else to measure', async () => {
    const insights = await insightsOf([await historyOf('quiet', writeQuiet)]);
    expect(insights.environments[0]).toMatchObject({
      deployments: 0,
      deploymentsPerWeek: 0,
      changeFailureRate: { settled: 0, rate: null },
      bands: { deploymentFrequency: 'low', leadTime: null, changeFailureRate: null, timeToRestore: null },
    });
    expect(insights.history).toEqual([]);
    expect(
      insights.weeks.every((week) => week.deployments[0] === 0 && week.leadTimeMedianHours === null),
    ).toBe(true);
    expect(insightChecks(insights).map((check) => check.status)).toEqual([
      'pass',
      'no-data',
      'no-data',
      'no-data',
    ]);
  });

  it('keeps several environments apart and charts their promotions per Monday-to-Sunday week', async () => {
    const insights = await insightsOf([
      await historyOf('production', writeProduction),
      await historyOf('staging', writeStaging),
    ]);
    expect(insights.environments.map((metrics) => [metrics.environment, metrics.deployments])).toEqual([
      ['production', 3],
      ['staging', 1],
    ]);
    // March 1st 2026 is a Sunday, so the first week starts on Monday February 23rd.
    expect(insights.weeks).toEqual([
      { week: '2026-02-23', deployments: [0, 1], leadTimeMedianHours: 24 },
      { week: '2026-03-02', deployments: [1, 0], leadTimeMedianHours: 25 },
      { week: '2026-03-09', deployments: [1, 0], leadTimeMedianHours: 2 },
      { week: '2026-03-16', deployments: [0, 0], leadTimeMedianHours: null },
      { week: '2026-03-23', deployments: [1, 0], leadTimeMedianHours: 72 },
    ]);
    expect(insights.history.map((row) => `${row.environment} ${row.version}`).slice(0, 2)).toEqual([
      'staging v3',
      'production v5',
    ]);
  });

  it('warns under min-band for each metric below it, and only those', async () => {
    const insights = await insightsOf([await historyOf('production', writeProduction)], 'high');
    expect(insights.belowMinBand).toEqual([
      { environment: 'production', metric: 'deploymentFrequency', band: 'medium' },
      { environment: 'production', metric: 'changeFailureRate', band: 'low' },
    ]);
    expect(insightChecks(insights).map((check) => [check.name, check.status, check.value])).toEqual([
      ['production: deployment frequency', 'warn', 0.75],
      ['production: lead time for changes', 'pass', 25],
      ['production: change failure rate', 'warn', 50],
      ['production: time to restore', 'pass', 12.3],
    ]);
  });
});
