import fc from 'fast-check';
import { sortLevel } from '../src/sketch/sort-runs';

/** The bits of every element, so -0 and +0 (and NaN payloads) count as different. */
const bits = (values: Float64Array) => [
  ...new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
];

const number = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, Infinity, -Infinity),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true }),
);

describe('sortLevel', () => {
  it('orders ascending runs (32 items or more on average) exactly as the builtin sort, -0 before +0', () => {
    fc.assert(
      fc.property(fc.array(fc.array(number, { minLength: 32, maxLength: 64 }), { maxLength: 20 }), (runs) => {
        const level = Float64Array.from(runs.flatMap((run) => Float64Array.from(run).sort()));
        const expected = level.slice().sort();
        expect(bits(sortLevel(level))).toEqual(bits(expected));
      }),
    );
  });

  it('sorts raw values and NaN as the builtin does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(number, fc.constant(Number.NaN)), { maxLength: 200 }), (values) => {
        const level = Float64Array.from(values);
        expect(bits(sortLevel(level.slice()))).toEqual(bits(level.sort()));
      }),
    );
  });
});
