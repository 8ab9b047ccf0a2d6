import { expandStrategy } from '../src/matrix';

describe('expandStrategy', () => {
  it('crosses the lists in the order written and drops excluded legs', () => {
    const strategy = expandStrategy({
      matrix: { os: ['a', 'b'], weight: [5, 100], exclude: [{ os: 'b', weight: 100 }] },
      'max-parallel': 1,
      'fail-fast': false,
    });
    expect(strategy).toEqual({
      legs: [
        { os: 'a', weight: 5 },
        { os: 'a', weight: 100 },
        { os: 'b', weight: 5 },
      ],
      failFast: false,
      maxParallel: 1,
    });
  });

  it('extends the legs an include entry fits and adds the ones that change an original value', () => {
    const { legs } = expandStrategy({
      matrix: {
        fruit: ['apple', 'pear'],
        animal: ['cat', 'dog'],
        include: [
          { color: 'green' },
          { color: 'pink', animal: 'cat' },
          { fruit: 'apple', shape: 'circle' },
          { fruit: 'banana' },
        ],
      },
    });
    expect(legs).toEqual([
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
    ]);
  });

  it('gives one empty leg without a matrix, fail-fast on and no parallel limit by default', () => {
    expect(expandStrategy(undefined)).toEqual({ legs: [{}], failFast: true, maxParallel: Infinity });
    expect(expandStrategy({ matrix: { include: [{ a: 1 }] } }).legs).toEqual([{ a: 1 }]);
  });

  it('refuses a matrix key that is not a list', () => {
    expect(() => expandStrategy({ matrix: { weight: 5 } })).toThrow(
      'strategy.matrix.weight must be a list. Example: weight: [a, b]',
    );
  });
});
