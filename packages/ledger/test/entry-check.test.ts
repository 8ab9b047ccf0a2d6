import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { DataError } from '@recsys-actions/core';
import { splitSchema } from '@recsys-actions/traffic/split';
import { ENTRY_FIELDS, isWellFormedEntry } from '../src/entry-check';
import {
  ledgerLineSchema,
  parseLedger,
  releaseStateSchema,
  stepIntentSchema,
  stepOutcomeSchema,
} from '../src/index';

// Seeded, so a failure names entries that reproduce it.
const SEED = 20_2026;

const version = fc.oneof(
  fc.constantFrom('v1', 'v2', 'v3', 'v1.4.0', 'model_7+b', 'A-9'),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,12}$/),
);
const timestamp = fc.oneof(
  fc
    .date({
      min: new Date('1999-01-01T00:00:00Z'),
      max: new Date('2099-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString()),
  fc.constantFrom('2024-02-29T23:59:59+05:30', '2026-03-01T09:00:00Z', '2026-03-01T09:00:00.5-08:00'),
);
const provenance = {
  actor: fc.constantFrom('alice', 'github-actions[bot]', 'b'),
  runUrl: fc.option(
    fc.oneof(
      fc.nat().map((run) => `https://github.com/acme/recs/actions/runs/${run}`),
      fc.constantFrom('http://ghe.internal:8080/a/b/actions/runs/1', 'mailto:ops@example.com'),
    ),
    { nil: undefined },
  ),
  timestamp,
};

/** Weights of whole percents adding up to 100, one per version, the mirror (if any) a version taking none. */
const split = fc
  .tuple(
    fc.uniqueArray(version, { minLength: 1, maxLength: 4 }),
    fc.array(fc.nat(100), { minLength: 4, maxLength: 4 }),
    fc.option(fc.tuple(version, fc.integer({ min: 1, max: 100 })), { nil: undefined }),
    fc.constantFrom('request', 'user'),
  )
  .map(([versions, cuts, mirror, stickiness]) => {
    let left = 100;
    const targets = versions.map((name, index) => {
      const weight = index === versions.length - 1 ? left : Math.min(left, cuts[index] ?? 0);
      left -= weight;
      return { version: name, weight };
    });
    const shadow = mirror && !targets.some((target) => target.version === mirror[0] && target.weight > 0);
    return { targets, stickiness, ...(shadow ? { mirror: { version: mirror[0], percent: mirror[1] } } : {}) };
  });

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const hex = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${min},${max}}$`));

const releaseState = fc.record(
  {
    live: version,
    split,
    fullyLive: fc.array(version, { maxLength: 50 }),
    rolledBack: fc.array(version, { maxLength: 50 }),
    canary: fc.record({ version, stable: version }, { requiredKeys: ['version'] }),
    seen: fc.array(version, { maxLength: 100 }),
  },
  { requiredKeys: ['fullyLive', 'rolledBack', 'seen'] },
);

const intent = fc.record({
  type: fc.constant('intent'),
  key: fc.string({ minLength: 1, maxLength: 200 }),
  step: fc.constantFrom('shift', 'rollback'),
  version,
  from: fc.option(split, { nil: null }),
  to: split,
  stable: optional(version),
  leaving: optional(fc.array(version, { maxLength: 5 })),
  reason: optional(fc.string({ minLength: 1, maxLength: 500 })),
  commitSha: optional(hex(7, 40)),
  modelSha256: optional(hex(64, 64)),
  before: releaseState,
  ...provenance,
});

const outcome = fc.record({
  type: fc.constant('outcome'),
  key: fc.string({ minLength: 1, maxLength: 200 }),
  result: fc.constantFrom('applied', 'unchanged', 'abandoned', 'failed'),
  note: optional(fc.string({ maxLength: 300 })),
  ...provenance,
});

/** As a ledger line holds it: what JSON can say (absent fields dropped). */
const asRead = (entry: unknown): unknown => JSON.parse(JSON.stringify(entry));
const entry = fc.oneof(intent, outcome).map(asRead);

/** Values near each rule's edge (lengths, ranges, formats), by kind. */
const EDGE_TEXT = [
  ...['', 'v1', 'v2', '-v1', 'v 1', '.v', 'x'.repeat(128), 'x'.repeat(129), 'shift', 'rollback', 'user'],
  ...['intent', 'outcome', 'promoted', 'applied', 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(300)],
  ...['x'.repeat(301), 'x'.repeat(500), 'x'.repeat(501), 'abcdef0', 'abcdef', 'A'.repeat(40), 'f'.repeat(41)],
  ...[
    'f'.repeat(64),
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2026-01-01T00:00Z',
  ],
  ...['2026-01-01T00:00:00', '2026-01-01 00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00+24:00'],
  ...['2026-01-01T00:00:60Z', '2026-01-01T00:00:00.123456+01:00', 'https://x.io/a', ' https://x.io/a'],
  ...['https://x.io/a\n', 'https://x\t.io/a', 'not a url', 'https://exa mple.com', 'http:example.com'],
];
const EDGE_NUMBERS = [-1, 0, 1, 50, 99.5, 100, 101];
const EDGE_OTHERS = [
  ...[null, true, [], {}, ['v1'], { version: 'v1' }, { version: 'v1', percent: 0 }],
  ...[
    { fullyLive: [], rolledBack: [], seen: [] },
    { fullyLive: [], rolledBack: [] },
  ],
  { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request' },
  { targets: [{ version: 'v1', weight: 90 }], stickiness: 'request' },
  { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request', mirror: { version: 'v1', percent: 5 } },
  { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request', mirror: { version: 'v2', percent: 0 } },
  {
    targets: [
      { version: 'v1', weight: 0 },
      { version: 'v1', weight: 100 },
    ],
    stickiness: 'user',
  },
];
const EDGE_VALUES = [...EDGE_TEXT, ...EDGE_NUMBERS, ...EDGE_OTHERS];

const EDGE_LENGTHS = [0, 1, 200, 201, 300, 301, 500, 501].map((length) => 'x'.repeat(length));
const TEXT_FIELDS = ['key', 'reason', 'note', 'actor'];

/** Mostly a value of the same kind as `held`, so each field's own rules get tested, not only its type. */
function edgeValue(name: string, held: unknown, pick: number, anyKind: boolean): unknown {
  let pool: unknown[] = EDGE_OTHERS;
  if (anyKind) pool = EDGE_VALUES;
  else if (TEXT_FIELDS.includes(name)) pool = EDGE_LENGTHS;
  else if (typeof held === 'string') pool = EDGE_TEXT;
  else if (typeof held === 'number') pool = EDGE_NUMBERS;
  return pool[pick % pool.length];
}

type Change = {
  at: number;
  how: 'replace' | 'copy' | 'delete' | 'add' | 'lengthen';
  pick: number;
  anyKind: boolean;
  field: string;
  length: number;
};
const change: fc.Arbitrary<Change> = fc.record({
  at: fc.nat(),
  how: fc.constantFrom('replace', 'replace', 'copy', 'delete', 'add', 'lengthen'),
  pick: fc.nat(),
  anyKind: fc.boolean(),
  field: fc.constantFrom(
    'extra',
    '__proto__',
    'version',
    'stable',
    'mirror',
    'canary',
    'note',
    'reason',
    'live',
  ),
  // On both sides of the bounds of the release state's lists.
  length: fc.constantFrom(50, 51, 100, 101),
});

type Member = [holder: Record<string, unknown>, name: string];

/**
 * The members of every object or array in `document`, nested ones included; of a list only the first two, so
 * the long version lists of a release state do not crowd out the other fields.
 */
function members(document: unknown): Member[] {
  if (typeof document !== 'object' || document === null) return [];
  const found: Member[] = [];
  const entries = Object.entries(document);
  for (const [name, value] of Array.isArray(document) ? entries.slice(0, 2) : entries) {
    found.push([document as Record<string, unknown>, name], ...members(value));
  }
  return found;
}

/**
 * `document` with one member replaced by an edge value or by another member's value (which breaks rules across
 * fields: a version named twice, a shadow that serves), deleted or added, or one of its lists lengthened.
 */
function changed(document: unknown, { at, how, pick, anyKind, field, length }: Change): unknown {
  const copy = asRead(document) as Record<string, unknown>;
  const all = members(copy);
  const lists = all.filter(([holder, name]) => Array.isArray(holder[name]) && holder[name].length > 0);
  const chosen = how === 'lengthen' ? lists : all;
  const [holder, name] = chosen[at % chosen.length] ?? [copy, 'type'];
  const held = holder[name];
  if (how === 'delete') Reflect.deleteProperty(holder, name);
  else if (how === 'add') {
    const value = edgeValue(field, undefined, pick, anyKind);
    Object.defineProperty(holder, field, { value, enumerable: true, writable: true });
  } else if (how === 'lengthen' && Array.isArray(held)) {
    holder[name] = Array.from({ length }, (_, index) => held[index % held.length]);
  } else if (how === 'copy') {
    const [source, sourceName] = all[pick % all.length] ?? [copy, 'type'];
    holder[name] = asRead(source[sourceName]);
  } else holder[name] = edgeValue(name, held, pick, anyKind);
  return asRead(copy);
}

/** v2 a canary at 10% beside v1. */
const CANARY_OF_V2 = {
  targets: [
    { version: 'v1', weight: 90 },
    { version: 'v2', weight: 10 },
  ],
  stickiness: 'user',
};
const FULL_INTENT = {
  type: 'intent',
  key: 'run 7 rollback v2',
  step: 'rollback',
  version: 'v1',
  from: CANARY_OF_V2,
  to: {
    targets: [{ version: 'v1', weight: 100 }],
    stickiness: 'user',
    mirror: { version: 'v3', percent: 5 },
  },
  stable: 'v1',
  leaving: ['v2'],
  reason: 'error rate above the gate',
  commitSha: 'a'.repeat(40),
  modelSha256: 'c'.repeat(64),
  before: {
    live: 'v1',
    split: CANARY_OF_V2,
    fullyLive: ['v0', 'v1'],
    rolledBack: [],
    canary: { version: 'v2', stable: 'v1' },
    seen: ['v0', 'v1', 'v2'],
  },
  actor: 'alice',
  runUrl: 'https://github.com/acme/recs/actions/runs/7',
  timestamp: '2026-03-01T09:00:00Z',
};
const FULL_OUTCOME = {
  type: 'outcome',
  key: 'run 7 rollback v2',
  result: 'applied',
  note: 'the router serves v1',
  actor: 'alice',
  timestamp: '2026-03-01T09:01:00+01:00',
};
const versions = (count: number) => Array.from({ length: count }, (_, index) => `v${index}`);
const targets = (...weights: number[]) => weights.map((weight, index) => ({ version: `v${index}`, weight }));

/** A path into FULL_INTENT (FULL_OUTCOME for `note`) and a value near the edge of its rule. */
const EDGES: [string[], unknown][] = [
  ...['', 'x', 'x'.repeat(200), 'x'.repeat(201)].map((key): [string[], unknown] => [['key'], key]),
  ...['', 'x', 'x'.repeat(500), 'x'.repeat(501)].map((reason): [string[], unknown] => [['reason'], reason]),
  ...['', 'x'.repeat(300), 'x'.repeat(301)].map((note): [string[], unknown] => [['note'], note]),
  [['actor'], ''],
  [['actor'], 'a'],
  [['version'], 'v'.repeat(128)],
  [['version'], 'v'.repeat(129)],
  [['to', 'targets'], targets(-1, 1, 100)],
  [['to', 'targets'], targets(0, 100)],
  [['to', 'targets'], targets(33, 33, 34)],
  [['to', 'targets'], targets(50.5, 49.5)],
  [['to', 'targets'], []],
  [
    ['to', 'targets'],
    [
      { version: 'v1', weight: 50 },
      { version: 'v1', weight: 50 },
    ],
  ],
  [['to', 'targets'], [{ version: 'v3', weight: 100 }]],
  [
    ['to', 'targets'],
    [
      { version: 'v3', weight: 0 },
      { version: 'v1', weight: 100 },
    ],
  ],
  ...[0, 1, 100, 101, 5.5].map((percent): [string[], unknown] => [['to', 'mirror', 'percent'], percent]),
  [['to', 'stickiness'], 'session'],
  [['from'], null],
  [['before', 'fullyLive'], versions(50)],
  [['before', 'fullyLive'], versions(51)],
  [['before', 'rolledBack'], versions(51)],
  [['before', 'seen'], versions(100)],
  [['before', 'seen'], versions(101)],
  [['before', 'canary'], { version: 'v2' }],
  [['before', 'canary'], { version: 'v2', stable: 'v1', weight: 10 }],
  [['leaving'], versions(60)],
  [['leaving'], ['v1', '']],
  ...['abcdef0', 'abcdef', 'f'.repeat(40), 'f'.repeat(41), 'ABCDEF0'].map((sha): [string[], unknown] => [
    ['commitSha'],
    sha,
  ]),
  ...[63, 64, 65].map((length): [string[], unknown] => [['modelSha256'], 'e'.repeat(length)]),
  ...[
    '2024-02-29T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T23:59:59.999999-12:00',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:00:00',
    '2026-01-01T00:00Z',
    '2026-01-01t00:00:00z',
  ].map((time): [string[], unknown] => [['timestamp'], time]),
  ...['https://x.io', 'http:x.io', 'x.io', 'https://x.io ', 'https://x.\nio'].map(
    (url): [string[], unknown] => [['runUrl'], url],
  ),
];

function withValue(document: object, path: string[], value: unknown): unknown {
  const copy = asRead(document) as Record<string, unknown>;
  let holder = copy;
  for (const name of path.slice(0, -1)) holder = holder[name] as Record<string, unknown>;
  holder[path.at(-1) as string] = value;
  return asRead(copy);
}

/** True when zod accepts `document` as a journal entry and hands it back as it is (the fast check's domain). */
function zodKeepsAsItIs(document: unknown): boolean {
  const zod = ledgerLineSchema().safeParse(document);
  const type = (document as { type?: unknown }).type;
  return zod.success && isDeepStrictEqual(zod.data, document) && (type === 'intent' || type === 'outcome');
}

/** The fast check may say yes only where zod says yes and hands back the entry unchanged. */
function expectAgreement(document: unknown): boolean {
  const fast = isWellFormedEntry(document);
  const zod = ledgerLineSchema().safeParse(document);
  if (fast) {
    expect(zod.success).toBe(true);
    expect(zod.data).toStrictEqual(document);
  }
  return fast;
}

describe('the fast check of ledger entries', () => {
  it('accepts every valid intent and outcome, as zod does, returning the same values', () => {
    fc.assert(
      fc.property(entry, (document) => {
        expect(ledgerLineSchema().safeParse(document).success).toBe(true);
        expect(expectAgreement(document)).toBe(true);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('rejects what zod rejects, and accepts what zod passes through unchanged, on entries changed at random', () => {
    const tally = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(entry, change, (document, edit) => {
        const mutated = changed(document, edit);
        expect(expectAgreement(mutated)).toBe(zodKeepsAsItIs(mutated));
        tally[ledgerLineSchema().safeParse(mutated).success ? 'accepted' : 'rejected'] += 1;
      }),
      { seed: SEED, numRuns: 6000 },
    );
    // Both sides of the rule were exercised, not only one.
    expect(tally.accepted).toBeGreaterThan(500);
    expect(tally.rejected).toBeGreaterThan(2000);
  });

  it('agrees with zod at the edge of every rule', () => {
    const verdicts = EDGES.map(([path, value]) => {
      const document = withValue(path[0] === 'note' ? FULL_OUTCOME : FULL_INTENT, path, value);
      const fast = expectAgreement(document);
      expect({ path, value, fast }).toEqual({ path, value, fast: zodKeepsAsItIs(document) });
      return fast;
    });
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(10);
    expect(verdicts.filter((fast) => !fast).length).toBeGreaterThan(10);
  });

  it('knows every field of the strict objects it checks', () => {
    const fieldsOf = (schema: { shape: object }) => Object.keys(schema.shape).sort();
    expect([...ENTRY_FIELDS.intent].sort()).toEqual(fieldsOf(stepIntentSchema()));
    expect([...ENTRY_FIELDS.outcome].sort()).toEqual(fieldsOf(stepOutcomeSchema()));
    expect([...ENTRY_FIELDS.releaseState].sort()).toEqual(fieldsOf(releaseStateSchema()));
    expect([...ENTRY_FIELDS.split].sort()).toEqual(fieldsOf(splitSchema()));
  });
});

describe('reading a ledger with the fast check', () => {
  const line = (entry: unknown) => `${JSON.stringify(entry)}\n`;
  const valid = fc.sample(intent.map(asRead), { seed: SEED, numRuns: 1 })[0] as Record<string, unknown>;

  it("takes zod's value where zod changes the entry: a run URL with spaces around it", () => {
    const spaced = { ...valid, runUrl: '  https://github.com/acme/recs/actions/runs/7 ' };
    const { steps } = parseLedger(line(valid) + line(spaced), 'ledger.jsonl');
    expect(steps.map((step) => step.intent.runUrl)).toEqual([
      valid.runUrl,
      'https://github.com/acme/recs/actions/runs/7',
    ]);
  });

  it("reports an invalid entry with zod's words and its line number", () => {
    const uneven = { ...valid, to: { targets: [{ version: 'v1', weight: 90 }], stickiness: 'request' } };
    const read = () => parseLedger(line(valid) + line(valid) + line(uneven), 'ledger.jsonl');
    expect(read).toThrow(DataError);
    expect(read).toThrow('ledger.jsonl (line 3): is not a journal entry: ');
    expect(read).toThrow('weights must add up to 100, got 90');
  });
});
