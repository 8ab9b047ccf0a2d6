/**
 * The one encoder of the hidden HTML comments that let an action find its own comment or issue again, e.g.
 * `<!-- recsys-actions:drift:production:features -->`. Each part is percent-encoded so that parts cannot run
 * into one another (`a:b` + `c` ≠ `a` + `b:c`) and no value can end the comment early (`--`, `!` and `>`
 * never appear raw). Plain names (letters, digits, `-`, `_`, `.`) stay as they are, so markers already on
 * GitHub keep matching.
 */
export function hiddenMarker(...parts: string[]): string {
  const part = (text: string) => encodeURIComponent(text).replace(/!/g, '%21').replace(/--/g, '-%2D');
  return `<!-- recsys-actions:${parts.map(part).join(':')} -->`;
}
