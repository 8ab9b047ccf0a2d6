/**
 * The one home for how numbers, shares, sizes and chart labels are written in reports, summaries, comments
 * and charts, so every action shows the same value the same way.
 */

/** `value` rounded to `digits` significant digits, still a number (for comparisons and JSON). */
export function roundSignificant(value: number, digits = 4): number {
  return Number(value.toPrecision(digits));
}

/** Numbers as people compare them: up to 4 significant digits, no exponent for everyday magnitudes. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(3);
  return String(roundSignificant(value));
}

/** Up to 4 significant digits in JavaScript's own notation: the form canary reasons and rules are written in. */
export function formatSignificant(value: number): string {
  return Number.isFinite(value) ? String(roundSignificant(value)) : String(value);
}

export interface PercentStyle {
  /**
   * - `significant` (the default): up to 4 significant digits, `12.34`;
   * - `tenths`: rounded to a tenth with a trailing `.0` dropped, `12.3`, `12`;
   * - `one-decimal`: always one decimal, `12.0`.
   */
  digits?: 'significant' | 'tenths' | 'one-decimal';
  /** A space before the sign, `12 %` as summaries write it, or none, `12%` (the default). */
  spaced?: boolean;
  /**
   * For changes: `minus` writes negatives with U+2212 and infinities as `±∞`; `always` also puts `+` before
   * zero and positives. Without it a negative keeps JavaScript's hyphen.
   */
  sign?: 'minus' | 'always';
}

/** A fraction (0.25) written as a percentage (`25%`, `25 %`, `+25%`) in the given style. */
export function formatPercent(fraction: number, style: PercentStyle = {}): string {
  if (style.sign && !Number.isFinite(fraction)) return fraction > 0 ? '+∞' : '−∞';
  const magnitude = style.sign ? Math.abs(fraction) : fraction;
  const sign = !style.sign ? '' : fraction < 0 ? '−' : style.sign === 'always' ? '+' : '';
  return `${sign}${percentDigits(magnitude, style.digits ?? 'significant')}${style.spaced ? ' %' : '%'}`;
}

function percentDigits(fraction: number, digits: NonNullable<PercentStyle['digits']>): string {
  if (digits === 'one-decimal') return (fraction * 100).toFixed(1);
  // Tenths of a percent are thousandths of the fraction; rounding those keeps 0.0145 at 1.5, not 1.4.
  if (digits === 'tenths') return formatNumber(Math.round(fraction * 1000) / 10);
  return formatSignificant(fraction * 100);
}

/** Byte counts in binary units, `512 B`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Numbers as mermaid's grammar reads them: up to 4 significant digits in decimal notation, never an exponent. */
export function mermaidNumber(value: number): string {
  const rounded = roundSignificant(value);
  const text = String(rounded);
  return text.includes('e') ? rounded.toFixed(12).replace(/\.?0+$/, '') : text;
}

/**
 * Makes data (a column, a category, a check name) safe as a quoted mermaid string and shortens it to
 * `maxLength` characters with an ellipsis. Mermaid has no escape for `"`, reads `#…;` as an entity, and a
 * newline or backtick could end the diagram, so anything beyond letters, digits and plain punctuation becomes
 * `_`. `%%` starts a mermaid comment (or, as `%%{`, a directive) that swallows the rest of the chart, so each
 * `%` that would start one is followed by `_`.
 */
export function mermaidText(text: string, maxLength: number): string {
  const safe = text.replace(/[^\p{L}\p{N} .,:/+\-–()[\]%=≤≥]/gu, '_').replace(/%(?=%)/g, '%_');
  const characters = [...safe];
  return characters.length > maxLength ? `${characters.slice(0, maxLength - 1).join('')}…` : safe;
}
