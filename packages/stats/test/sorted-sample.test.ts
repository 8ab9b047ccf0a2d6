import { UserFacingError } from '@recsys-actions/core';
import { seededRandom } from '@recsys-actions/testkit/random';
import { SortedSample } from '../src/index';

function randomColumn(seed: number, size: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: size }, () => Math.round((random() - 0.5) * 1e6) / 1e4);
}

describe('SortedSample', () => {
  it('from sorts a copy exactly as the builtin sort does and leaves the input alone', () => {
    const column = randomColumn(1, 10_000);
    const untouched = Float64Array.from(column);
    const sample = SortedSample.from(column, 'reference');
    expect(sample.values).not.toBe(column);
    expect(Array.from(column)).toEqual(Array.from(untouched));
    expect(Array.from(sample.values)).toEqual(Array.from(untouched.sort()));
  });

  it.each([5, 10_000])('adopt sorts %i values in place and keeps the same buffer', (size) => {
    const column = randomColumn(2, size);
    const expected = Float64Array.from(column).sort();
    const sample = SortedSample.adopt(column, 'current');
    expect(sample.values).toBe(column);
    expect(Array.from(column)).toEqual(Array.from(expected));
  });

  it.each([
    ['from', (values: Float64Array) => SortedSample.from(values, 'current')],
    ['adopt', (values: Float64Array) => SortedSample.adopt(values, 'current')],
  ])('%s refuses NaN anywhere, naming the sample', (_name, build) => {
    for (const size of [3, 10_000]) {
      const column = randomColumn(3, size);
      column[1] = Number.NaN;
      expect(() => build(column)).toThrow(UserFacingError);
      expect(() => build(Float64Array.from(column))).toThrow(
        'The current contains NaN; drop missing values before computing drift statistics.',
      );
    }
  });

  it('ofSorted wraps sorted values without copying, -0 before +0 included', () => {
    const values = Float64Array.from([-Infinity, -2, -0, -0, 0, 0, Number.MIN_VALUE, 2, 2, Infinity]);
    const sample = SortedSample.ofSorted(values, 'reference');
    expect(sample.values).toBe(values);
    expect(Object.is(sample.values[2], -0) && Object.is(sample.values[5], 0)).toBe(true);
    expect(SortedSample.ofSorted(new Float64Array(0)).size).toBe(0);
    expect(SortedSample.ofSorted(Float64Array.of(7)).size).toBe(1);
  });

  it('ofSorted accepts what from produced, as after a round trip through a worker', () => {
    const received = Float64Array.from(SortedSample.from(randomColumn(4, 20_000)).values);
    expect(SortedSample.ofSorted(received).values).toBe(received);
  });

  it.each([
    [[1, 3, 2], 2],
    [[0, -0], 1],
    [[Infinity, 1], 1],
  ])('ofSorted refuses %p, naming the sample and the first value out of order', (values, index) => {
    const unsorted = Float64Array.from(values);
    expect(() => SortedSample.ofSorted(unsorted, 'reference')).toThrow(UserFacingError);
    expect(() => SortedSample.ofSorted(unsorted, 'reference')).toThrow(
      `The reference is not sorted ascending: the value at index ${index} belongs before the one at index ${index - 1}.`,
    );
  });

  it.each([[[Number.NaN]], [[1, Number.NaN]], [[Number.NaN, 1]], [[1, 2, Number.NaN, Number.NaN]]])(
    'ofSorted refuses NaN in %p, naming the sample',
    (values) => {
      expect(() => SortedSample.ofSorted(Float64Array.from(values), 'current')).toThrow(
        'The current contains NaN; drop missing values before computing drift statistics.',
      );
    },
  );
});
