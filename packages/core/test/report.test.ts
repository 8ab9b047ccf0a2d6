import {
  ACTION_VERDICTS,
  parseReportOf,
  reportSchema,
  shiftTrafficDetailsSchema,
  VERDICTS,
  versionWeight,
} from '@recsys-actions/core';

describe('ACTION_VERDICTS', () => {
  it('gives every verdict to at least one action, so no verdict is unreachable', () => {
    const reachable = new Set(Object.values(ACTION_VERDICTS).flat());
    expect([...VERDICTS].filter((verdict) => !reachable.has(verdict))).toEqual([]);
  });
});

describe('shiftTrafficDetailsSchema', () => {
  const split = {
    targets: [
      { version: 'v1', weight: 75 },
      { version: 'v2', weight: 25 },
    ],
  };
  const details = {
    previousSplit: null,
    split,
    changed: true,
    repeated: false,
    stable: 'v1',
    router: 'file',
    ledger: 'file',
    journal: { key: 'run-1:shift-traffic:0123456789abcdef', outcome: 'applied', reconciled: [] },
  };

  it('accepts what shift-traffic writes, including a first shift without a previous split', () => {
    expect(shiftTrafficDetailsSchema().parse(details).previousSplit).toBeNull();
  });

  it('rejects the percent keys Slack once read but shift-traffic never wrote', () => {
    expect(shiftTrafficDetailsSchema().safeParse({ fromPercent: 10, toPercent: 25 }).success).toBe(false);
  });

  it("reads a version's share of a split, 0 for a version the split does not route to", () => {
    expect(versionWeight(split, 'v2')).toBe(25);
    expect(versionWeight(split, 'v3')).toBe(0);
  });
});

describe('reportSchema, keyed on action', () => {
  const envelope = {
    schemaVersion: 1,
    title: 'Sent.',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
  };
  const slackDetails = { attempts: 2, ts: '1.2', dryRun: false };

  it("types a member's details by its action", () => {
    const report = parseReportOf('notify-slack', {
      ...envelope,
      action: 'notify-slack',
      verdict: 'sent',
      details: slackDetails,
    });
    expect(report.details.attempts).toBe(2);
  });

  it("refuses another action's verdict, missing details, and a report of another action", () => {
    const slack = { ...envelope, action: 'notify-slack', details: slackDetails };
    expect(reportSchema().safeParse({ ...slack, verdict: 'promote' }).success).toBe(false);
    expect(reportSchema().safeParse({ ...slack, verdict: 'sent', details: undefined }).success).toBe(false);
    expect(() => parseReportOf('rollback', { ...slack, verdict: 'sent' })).toThrow(
      'Expected a rollback report, got one from notify-slack',
    );
  });
});
