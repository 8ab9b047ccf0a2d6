import { NOT_A_PLAIN_DECIMAL, parseDecimalBytes, parseDecimalText, scanDecimal } from '../src/number';

/** A deterministic stream of numbers in [0, 1), so failures reproduce. */
function* random(seed: number, count: number) {
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    yield state / 2147483648;
  }
}

describe('parseDecimalBytes', () => {
  it('agrees exactly with Number() on plain decimals of up to 15 digits', () => {
    let compared = 0;
    for (const r of random(7, 20_000)) {
      const digits = 1 + Math.floor(r * 15);
      const text = (r * 10 ** (digits % 8) - 3).toFixed(Math.max(0, digits - 8));
      const bytes = Buffer.from(text);
      const parsed = parseDecimalBytes(bytes, 0, bytes.length);
      if (parsed === undefined) continue;
      expect(parsed).toBe(Number(text));
      compared++;
    }
    expect(compared).toBeGreaterThan(19_000);
  });

  it('declines what it cannot parse exactly, leaving it to the text parser', () => {
    for (const text of ['1e5', '1234567890123456', '', '-', '.', '1.2.3', ' 1', 'x']) {
      const bytes = Buffer.from(text);
      expect(parseDecimalBytes(bytes, 0, bytes.length)).toBeUndefined();
    }
  });
});

describe('scanDecimal', () => {
  it('reads the decimal a range starts with and says where it stops', () => {
    const scanned = new Float64Array(2);
    const cases: [string, number, number][] = [
      ['-12.5,x', 5, -12.5],
      ['3\n', 1, 3],
      ['+.25e1', 4, 0.25],
      ['7.', 2, 7],
      ['-0', 2, -0],
      ['12.5.3', 4, 12.5],
    ];
    for (const [text, stop, value] of cases) {
      const bytes = Buffer.from(text);
      expect([text, scanDecimal(bytes, 0, bytes.length, scanned, 1), scanned[1]]).toEqual([
        text,
        stop,
        value,
      ]);
    }
  });

  it('finds no plain decimal without digits, with more than 15 digits, or beyond the limit', () => {
    const scanned = new Float64Array(2);
    for (const text of ['', '-', '.', 'x1', ',1', '1234567890123456', '0.000000000000001']) {
      const bytes = Buffer.from(text);
      expect([text, scanDecimal(bytes, 0, bytes.length, scanned, 1)]).toEqual([text, NOT_A_PLAIN_DECIMAL]);
    }
    expect(scanDecimal(Buffer.from('12'), 0, 0, scanned, 1)).toBe(NOT_A_PLAIN_DECIMAL);
    expect(scanDecimal(Buffer.from('123'), 0, 2, scanned, 1)).toBe(2);
    expect([...scanned]).toEqual([0, 12]);
  });
});

describe('parseDecimalText', () => {
  it('accepts finite decimals and rejects what Number() would turn into surprises', () => {
    expect(['1e5', ' -2.5 ', '12345678901234567', '+.5'].map(parseDecimalText)).toEqual([
      1e5, -2.5, 12345678901234568, 0.5,
    ]);
    for (const text of ['', '  ', '0x10', 'Infinity', 'NaN', '1e999', '1,5']) {
      expect(parseDecimalText(text)).toBeUndefined();
    }
  });
});
