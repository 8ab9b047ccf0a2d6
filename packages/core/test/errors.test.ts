import { ConfigError, DataError, InputError, inputErrorFrom, withInputNames } from '../src/index';

const FIELDS = {
  maxIntervals: { input: 'max-duration', example: '30m' },
  minIntervals: { input: 'min-intervals' },
  alpha: { input: 'alpha' },
};

const tooShort = new ConfigError(
  'maxIntervals',
  (name) => `allows 2 intervals, fewer than ${name('minIntervals')} (3)`,
);

describe('ConfigError', () => {
  it('names its own fields when no caller maps them', () => {
    expect(tooShort.message).toBe('maxIntervals allows 2 intervals, fewer than minIntervals (3)');
    expect(new ConfigError('alpha', 'must be in (0, 0.5]', '0.05').message).toBe('alpha must be in (0, 0.5]');
  });

  it('becomes an InputError under the mapped input names, the caller example winning', () => {
    const mapped = inputErrorFrom(tooShort, FIELDS);
    expect(mapped).toBeInstanceOf(InputError);
    expect((mapped as InputError).message).toBe(
      "Input 'max-duration' allows 2 intervals, fewer than min-intervals (3). Example: max-duration: 30m",
    );
    const alpha = inputErrorFrom(new ConfigError('alpha', 'must be in (0, 0.5], got 0.7', '0.05'), FIELDS);
    expect((alpha as InputError).message).toBe(
      "Input 'alpha' must be in (0, 0.5], got 0.7. Example: alpha: 0.05",
    );
  });

  it('leaves unmapped fields and other errors as they are', () => {
    const unmapped = new ConfigError('columns', 'names x');
    expect(inputErrorFrom(unmapped, FIELDS)).toBe(unmapped);
    const data = new DataError('a.csv', 'is empty');
    expect(inputErrorFrom(data, FIELDS)).toBe(data);
  });
});

describe('withInputNames', () => {
  it('maps errors thrown at once and by a returned promise, and passes results through', async () => {
    expect(withInputNames(FIELDS, () => 42)).toBe(42);
    expect(() =>
      withInputNames(FIELDS, () => {
        throw tooShort;
      }),
    ).toThrow("Input 'max-duration' allows");
    await expect(withInputNames(FIELDS, () => Promise.reject(tooShort))).rejects.toThrow(InputError);
    await expect(withInputNames(FIELDS, () => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});

describe('inputErrorFrom on a path into an input', () => {
  it("names the input and the path within it, with the package's own example for that part", () => {
    const fields = { checks: { input: 'checks', example: '[{name: errors}]' } };
    const error = inputErrorFrom(new ConfigError('checks[0].bad', 'uses {{typo}}', '{{version}}'), fields);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      "Input 'checks[0].bad' uses {{typo}}. Example: checks[0].bad: {{version}}",
    );
  });

  it('leaves a field whose root is not an input alone', () => {
    const unmapped = new ConfigError('columns[1]', 'names x');
    expect(inputErrorFrom(unmapped, { checks: { input: 'checks' } })).toBe(unmapped);
  });
});
