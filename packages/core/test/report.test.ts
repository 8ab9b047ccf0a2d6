import { ACTION_VERDICTS, shiftTrafficDetailsSchema, VERDICTS, versionWeight } from '@recsys-actions/core';

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
  const details = { previousSplit: null, split, changed: true, router: 'file', ledger: 'file', recorded: [] };

  it('accepts what shift-traffic writes, including a first shift without a previous split', () => {
    expect(shiftTrafficDetailsSchema.parse(details).previousSplit).toBeNull();
  });

  it('rejects the percent keys Slack once read but shift-traffic never wrote', () => {
    expect(shiftTrafficDetailsSchema.safeParse({ fromPercent: 10, toPercent: 25 }).success).toBe(false);
  });

  it("reads a version's share of a split, 0 for a version the split does not route to", () => {
    expect(versionWeight(split, 'v2')).toBe(25);
    expect(versionWeight(split, 'v3')).toBe(0);
  });
});
