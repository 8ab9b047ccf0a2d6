import {
  formatBytes,
  formatNumber,
  formatPercent,
  formatSignificant,
  mermaidNumber,
  mermaidText,
  roundSignificant,
} from '../src/index';

describe('numbers', () => {
  it('round to 4 significant digits, as a number and as text', () => {
    expect(roundSignificant(0.123456)).toBe(0.1235);
    expect(roundSignificant(1234.5, 3)).toBe(1230);
    expect(formatSignificant(2 / 3)).toBe('0.6667');
    expect(formatSignificant(1e-7)).toBe('1e-7');
    expect(formatSignificant(Number.NaN)).toBe('NaN');
  });

  it('show everyday magnitudes plainly and extremes with an exponent', () => {
    expect(formatNumber(undefined)).toBe('—');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(0.00001234)).toBe('1.234e-5');
    expect(formatNumber(2.5e9)).toBe('2.500e+9');
  });

  it('never use an exponent in a chart', () => {
    expect(mermaidNumber(0.00001234)).toBe('0.00001234');
    expect(mermaidNumber(123456)).toBe('123500');
  });

  it('write bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536 * 1024)).toBe('1.5 MiB');
  });
});

describe('formatPercent', () => {
  it('writes shares in each style', () => {
    expect(formatPercent(0.123456)).toBe('12.35%');
    expect(formatPercent(0.05, { spaced: true })).toBe('5 %');
    expect(formatPercent(0.0145, { digits: 'tenths', spaced: true })).toBe('1.5 %');
    expect(formatPercent(0.1, { digits: 'one-decimal' })).toBe('10.0%');
  });

  it('signs changes with a real minus and infinities', () => {
    expect(formatPercent(-0.05, { sign: 'minus' })).toBe('−5%');
    expect(formatPercent(0.05, { sign: 'minus' })).toBe('5%');
    expect(formatPercent(0, { sign: 'always' })).toBe('+0%');
    expect(formatPercent(Number.POSITIVE_INFINITY, { sign: 'minus' })).toBe('+∞');
    expect(formatPercent(Number.NEGATIVE_INFINITY, { sign: 'always' })).toBe('−∞');
  });
});

describe('mermaidText', () => {
  it('turns anything that could end the string or the chart into _', () => {
    expect(mermaidText('a"b\n```c<img>#35;', 24)).toBe('a_b____c_img__35_');
    expect(mermaidText('latency p99 (ms) ≤ 5%', 80)).toBe('latency p99 (ms) ≤ 5%');
  });

  it('keeps a label that starts with %% from opening a mermaid comment or directive', () => {
    expect(mermaidText('%%{init: {}}%%', 24)).toBe('%_%_init: ___%_%');
    expect(mermaidText('%%share', 24)).toBe('%_%share');
    expect(mermaidText('%%share', 24)).not.toMatch(/%%/);
  });

  it('shortens long labels with an ellipsis', () => {
    expect(mermaidText('abcdefghij', 5)).toBe('abcd…');
    expect(mermaidText('abcde', 5)).toBe('abcde');
  });
});
