import { expectCleanFailure, matchReportCorpus, runAction, workspaceWith } from '@recsys-actions/testkit';

/** Each user's top-10: their one relevant item `r<u>` at `rank` (1-based), the rest filler, best first. */
function listsCsv(ranks: readonly number[]): string {
  const rows = ranks.flatMap((rank, user) =>
    Array.from({ length: 10 }, (_, position) => {
      const item = position + 1 === rank ? `r${user}` : `f${user}-${position}`;
      return `u${user},${item},${(10 - position) / 10}`;
    }),
  );
  return `user,item,score\n${rows.join('\n')}\n`;
}

const truthCsv = (users: number) =>
  `user,item\n${Array.from({ length: users }, (_, user) => `u${user},r${user}`).join('\n')}\n`;

const GATE = 'ndcg@10: {min-relative-change: -0.01, confidence: 0.95}';

function validate(challenger: number[], champion: number[], inputs: Record<string, string> = {}) {
  return runAction({
    action: 'validate-model',
    workspace: workspaceWith({
      'challenger.csv': listsCsv(challenger),
      'champion.csv': listsCsv(champion),
      'truth.csv': truthCsv(challenger.length),
    }),
    inputs: {
      recommendations: 'challenger.csv',
      'baseline-recommendations': 'champion.csv',
      interactions: 'truth.csv',
      k: '5,10',
      thresholds: GATE,
      ...inputs,
    },
  });
}

describe('validate-model against the champion on the same users (built dist)', () => {
  it('fails a challenger that is significantly worse, with the chart and the table in the summary', async () => {
    // The champion ranks every user's relevant item first, the challenger second to fifth.
    const users = 60;
    const run = await validate(
      Array.from({ length: users }, (_, user) => 2 + (user % 4)),
      Array.from({ length: users }, () => 1),
    );
    expect(expectCleanFailure(run)).toBe('Model validation failed (fail-on: critical): ndcg@10');
    expect(run.outputs.verdict).toBe('fail');
    const report = JSON.parse(run.outputs.report ?? '{}');
    const ndcg = report.details.paired.metrics.find((metric: { name: string }) => metric.name === 'ndcg@10');
    // Mean of 1/log2(rank + 1) over ranks 2..5, against 1 for the champion.
    const expected = [2, 3, 4, 5].reduce((sum, rank) => sum + 1 / Math.log2(rank + 1), 0) / 4;
    expect(ndcg.challenger).toBeCloseTo(expected, 12);
    expect(ndcg.baseline).toBe(1);
    expect(ndcg.relativeChange).toBeCloseTo(expected - 1, 12);
    expect(ndcg.intervals[0].upper).toBeLessThan(-0.01);
    // 1,000 random sign flips: none reaches the observed mean, so p = 2 × 1 / 1,001.
    expect(ndcg.pValue).toBeCloseTo(2 / 1001, 12);
    expect(report.details.paired.method).toMatchObject({
      interval: 'percentile bootstrap',
      resamples: 1000,
      seed: 19,
    });
    expect(report.details.paired.agreement.atK[0]).toMatchObject({ k: 5, identical: 0 });
    expect(run.summary).toContain('```mermaid\nxychart-beta');
    expect(run.summary).toContain('#### Paired comparison on the same users');
    expect(run.summary).toMatch(/\| `ndcg@10` \| 1 \| 0\.\d+ \| −\d+\.\d% \| −\d+\.?\d*% to −\d+\.?\d*% \|/);
    expect(run.summary).toContain('relative change −');
    matchReportCorpus('validate-model-paired-worse', run);
  });

  it('warns when the interval straddles the allowed change, and passes a clear improvement', async () => {
    // Twelve users (every sign flip enumerated); the challenger moves two hits down a rank and one up.
    const champion = [1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1];
    const challenger = [2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const unsure = await validate(challenger, champion);
    expect(unsure.errors).toEqual([]);
    expect(unsure.exitCode).toBe(0);
    expect(unsure.outputs.verdict).toBe('warn');
    expect(JSON.parse(unsure.outputs.warnings ?? '[]')).toEqual(['ndcg@10']);
    expect(unsure.summary).toContain('inconclusive: relative change −');
    const report = JSON.parse(unsure.outputs.report ?? '{}');
    expect(report.details.paired.method).toMatchObject({ test: 'exact sign-flip', flips: 4096 });

    const better = await validate(
      champion.map(() => 1),
      champion.map(() => 3),
    );
    expect(better.outputs.verdict).toBe('pass');
  });

  it.each([
    [
      'files that share no user',
      { 'baseline-recommendations': 'other.csv' },
      "Input 'baseline-recommendations' shares no user with recommendations (e.g. the champion recommends to 'stranger', the challenger to 'u0'); both must list the same users' ids",
    ],
    [
      'lists that fill other cut-offs',
      { 'baseline-recommendations': 'short.csv' },
      "Input 'baseline-recommendations' has lists of at most 3 items, filling k = none, while recommendations' lists of up to 10 fill k = 5,10; both files need lists as long as the largest k, or k only the cut-offs both fill (e.g. 3)",
    ],
    // The champion's file is read on a worker thread: its errors reach the log as the same one line.
    [
      'a champion file that repeats a row',
      { 'baseline-recommendations': 'repeated.csv' },
      "repeated.csv (line 4): repeats user 'u0' and item 'r0' (first on line 2); recommend each item once per user",
    ],
    [
      'a champion file without a score or rank',
      { 'baseline-recommendations': 'unordered.csv' },
      "unordered.csv (line 2): has neither a 'score' nor a 'rank' column to order the items (e.g. user,item,score)",
    ],
    [
      'a confidence of 1',
      { confidence: '1' },
      "Input 'confidence' must lie strictly between 0.5 and 1, got '1'. Example: confidence: 0.95",
    ],
  ])('refuses %s with one error naming the input', async (_, inputs, message) => {
    const run = await runAction({
      action: 'validate-model',
      workspace: workspaceWith({
        'challenger.csv': listsCsv([1, 2]),
        'truth.csv': truthCsv(2),
        'other.csv':
          'user,item,score\nstranger,x,1\nstranger,y,0.5\nstranger,z,0.1\nstranger,w,0.05\nstranger,v,0.01\n',
        'short.csv': 'user,item,score\nu0,r0,1\nu0,a,0.5\nu0,b,0.2\nu1,r1,1\n',
        'repeated.csv': 'user,item,score\nu0,r0,1\nu0,a,0.5\nu0,r0,0.2\nu1,r1,1\n',
        'unordered.csv': 'user,item\nu0,r0\nu1,r1\n',
      }),
      inputs: {
        recommendations: 'challenger.csv',
        'baseline-recommendations': 'champion.csv',
        interactions: 'truth.csv',
        k: '5,10',
        ...inputs,
      },
    });
    expect(expectCleanFailure(run)).toBe(message);
  });

  it('refuses a rule confidence outside (0.5, 1), naming the thresholds input', async () => {
    const run = await validate([1, 1], [1, 1], {
      thresholds: 'ndcg@10: {min-relative-change: -0.01, confidence: 0.4}',
    });
    expect(expectCleanFailure(run)).toBe(
      "Input 'thresholds' is invalid at thresholds.ndcg@10.confidence: must lie strictly between 0.5 and 1, e.g. 0.95. Example: thresholds: 'ndcg@10: {min: 0.42}'",
    );
  });
});
