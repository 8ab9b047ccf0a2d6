import {
  allTrafficTo,
  canarySplit,
  describeSplit,
  routedVersions,
  sameSplit,
  splitSchema,
} from '../src/index';

describe('splitSchema()', () => {
  it('accepts integer weights adding up to 100, in order', () => {
    const split = splitSchema().parse({
      targets: [
        { version: 'v1.4.0', weight: 90 },
        { version: 'v1.5.0-rc.1', weight: 10 },
      ],
      stickiness: 'user',
    });
    expect(split.targets.map((target) => target.version)).toEqual(['v1.4.0', 'v1.5.0-rc.1']);
  });

  it.each([
    [
      { targets: [{ version: 'v1', weight: 90 }], stickiness: 'request' },
      'weights must add up to 100, got 90',
    ],
    [
      {
        targets: [
          { version: 'v1', weight: 99.5 },
          { version: 'v2', weight: 0.5 },
        ],
        stickiness: 'request',
      },
      'whole percent',
    ],
    [
      {
        targets: [
          { version: 'v1', weight: 50 },
          { version: 'v1', weight: 50 },
        ],
        stickiness: 'request',
      },
      "names version 'v1' twice",
    ],
    [
      { targets: [{ version: '../etc', weight: 100 }], stickiness: 'request' },
      'must start with a letter or digit',
    ],
    [{ targets: [{ version: 'v1', weight: 100 }], stickiness: 'session' }, 'request'],
    [{ targets: [], stickiness: 'request' }, 'at least one version'],
  ])('rejects %j', (value, message) => {
    const parsed = splitSchema().safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join(' ')).toContain(message);
  });
});

describe('split helpers', () => {
  const canary = canarySplit('v1', 'v2', 10, 'user');

  it('builds the canary shape with the stable version first', () => {
    expect(canary).toEqual({
      targets: [
        { version: 'v1', weight: 90 },
        { version: 'v2', weight: 10 },
      ],
      stickiness: 'user',
    });
    expect(() => canarySplit('v1', 'v2', 120)).toThrow();
  });

  it('compares splits by order, weights and stickiness', () => {
    expect(sameSplit(canary, canarySplit('v1', 'v2', 10, 'user'))).toBe(true);
    expect(sameSplit(canary, canarySplit('v1', 'v2', 10, 'request'))).toBe(false);
    expect(sameSplit(canary, canarySplit('v2', 'v1', 90, 'user'))).toBe(false);
    expect(sameSplit(undefined, undefined)).toBe(true);
    expect(sameSplit(canary, undefined)).toBe(false);
  });

  it('lists only versions that receive traffic and describes the split', () => {
    expect(routedVersions(canarySplit('v1', 'v2', 0))).toEqual(['v1']);
    expect(describeSplit(canary)).toBe('v1 90% / v2 10% (per user)');
    expect(describeSplit(allTrafficTo('v3'))).toBe('v3 100% (per request)');
  });
});
