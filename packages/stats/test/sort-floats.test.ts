import { seededRandom } from '@recsys-actions/testkit/random';
import { sortFloat64InPlace } from '../src/index';

/** The 64-bit pattern of every element, so -0 vs +0 and NaN payloads count as differences. */
function bitsOf(values: Float64Array): BigUint64Array {
  return new BigUint64Array(values.buffer, values.byteOffset, values.length);
}

/** Index of the first element whose bits differ (or of the length mismatch), -1 when identical. */
function firstBitDifference(actual: Float64Array, expected: Float64Array): number {
  const a = bitsOf(actual);
  const b = bitsOf(expected);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

function expectSortedLikeBuiltin(input: Float64Array): void {
  const expected = Float64Array.from(input).sort();
  const actual = Float64Array.from(input);
  expect(sortFloat64InPlace(actual)).toBe(actual);
  expect(firstBitDifference(actual, expected)).toBe(-1);
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A double from 64 uniformly random bits, redrawn when NaN: every sign, exponent and subnormal is reachable. */
function anyDouble(random: () => number): number {
  const bits = new Uint32Array(2);
  const value = new Float64Array(bits.buffer);
  do {
    bits[0] = random() * 2 ** 32;
    bits[1] = random() * 2 ** 32;
  } while (Number.isNaN(value[0]));
  return value[0] as number;
}

const SPECIAL_VALUES = [
  -Infinity,
  -Number.MAX_VALUE,
  -1,
  -2.2250738585072014e-308, // smallest normal
  -2.225073858507201e-308, // largest subnormal
  -Number.MIN_VALUE,
  -0,
  0,
  Number.MIN_VALUE,
  2.225073858507201e-308,
  2.2250738585072014e-308,
  1,
  Number.MAX_VALUE,
  Infinity,
];

type Shape = (random: () => number) => number;
const shapes: Record<string, Shape> = {
  'normal, 4 decimals': (random) => Math.round(normal(random) * 1e4) / 1e4,
  'normal, full precision': (random) => normal(random) * 1e3,
  'any bit pattern': anyDouble,
  'special values with repeats': (random) =>
    SPECIAL_VALUES[Math.floor(random() * SPECIAL_VALUES.length)] as number,
  'small integers and signed zeros': (random) => {
    const value = Math.floor(random() * 11) - 5;
    return value === 0 && random() < 0.5 ? -0 : value;
  },
  // Low mantissa words constant, so some digit passes are skipped and the result may end in either buffer.
  'single precision': (random) => Math.fround(normal(random)),
  'powers of two': (random) => (random() < 0.5 ? -1 : 1) * 2 ** (Math.floor(random() * 200) - 100),
  constant: () => 0.1,
};

// Around the switch from the builtin sort to the radix sort, around the length from which the input is split in
// place first, and well past it (200 000 values split into parts of at most 65 536, two levels deep).
const SIZES = [0, 1, 2, 3, 100, 1_023, 1_024, 1_025, 50_000, 65_536, 65_537, 200_000];

describe('sortFloat64InPlace', () => {
  describe.each(Object.entries(shapes))('%s', (_name, shape) => {
    it.each(SIZES)('sorts %i values exactly as Float64Array.prototype.sort does', (size) => {
      const random = seededRandom(size + 7);
      expectSortedLikeBuiltin(Float64Array.from({ length: size }, () => shape(random)));
    });
  });

  it('keeps -0 before +0 and subnormals between them and the normals', () => {
    const random = seededRandom(11);
    const values = Float64Array.from(
      { length: 20_000 },
      () => SPECIAL_VALUES[Math.floor(random() * SPECIAL_VALUES.length)] as number,
    );
    sortFloat64InPlace(values);
    const distinctInOrder = values.filter((value, i) => i === 0 || !Object.is(value, values[i - 1]));
    expect(Array.from(distinctInOrder)).toEqual(SPECIAL_VALUES);
  });

  it('sorts only the elements of a view, wherever it starts in its buffer', () => {
    const random = seededRandom(3);
    const whole = Float64Array.from({ length: 30_000 }, () => anyDouble(random));
    const before = Float64Array.from(whole);
    const view = whole.subarray(3, 25_003);
    const expected = Float64Array.from(view).sort();
    sortFloat64InPlace(view);
    expect(view.byteOffset).toBe(24);
    expect(firstBitDifference(view, expected)).toBe(-1);
    expect(firstBitDifference(whole.subarray(0, 3), before.subarray(0, 3))).toBe(-1);
    expect(firstBitDifference(whole.subarray(25_003), before.subarray(25_003))).toBe(-1);
  });

  it('puts every NaN last, whatever its sign bit and payload, and keeps their bit patterns', () => {
    const random = seededRandom(5);
    const values = Float64Array.from({ length: 20_000 }, () => normal(random));
    const nanBits = [0x7ff8000000000000n, 0xfff8000000000000n, 0xfff0000000000001n, 0x7ff0000000abcdefn];
    const bits = bitsOf(values);
    for (let k = 0; k < nanBits.length; k++) bits[k * 4_999] = nanBits[k] as bigint;
    const builtin = Float64Array.from(values).sort();
    sortFloat64InPlace(values);
    const numbers = values.length - nanBits.length;
    expect(firstBitDifference(values.subarray(0, numbers), builtin.subarray(0, numbers))).toBe(-1);
    const trailing = Array.from(bitsOf(values.subarray(numbers))).sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    expect(trailing).toEqual([...nanBits].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
