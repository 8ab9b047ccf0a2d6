import { ConfigError, UserFacingError } from '@recsys-actions/core';
import type { IntervalWindow, SeriesQuery } from './metric-source';

export const PLACEHOLDERS = ['version', 'role', 'interval', 'environment'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Readonly<Record<Placeholder, string>>;

const PLACEHOLDER_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const TEMPLATE_EXAMPLE = 'sum(increase(requests_total{version="{{version}}",code=~"5.."}[{{interval}}]))';
// Values land inside quoted label matchers; these characters would end the string or change its meaning.
const UNSAFE_VALUE = /["'`\\\r\n]/;

/** Whether a value can fill a placeholder without ending the quoted label value it lands in. */
export function isSafePlaceholderValue(value: string): boolean {
  return !UNSAFE_VALUE.test(value);
}

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

function listPlaceholders(): string {
  return PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ');
}

/** Throws a ConfigError naming `field` when the template uses a placeholder that is not defined. */
export function validateTemplate(template: string, field: string): void {
  for (const match of template.matchAll(PLACEHOLDER_PATTERN)) {
    const name = match[1] ?? '';
    if (!isPlaceholder(name))
      throw new ConfigError(
        field,
        `uses the unknown placeholder ${match[0]}; the defined placeholders are ${listPlaceholders()}`,
        TEMPLATE_EXAMPLE,
      );
  }
}

/** Substitutes every placeholder; call {@link validateTemplate} first, unknown names are rejected here too. */
export function renderTemplate(template: string, values: PlaceholderValues, field = 'query'): string {
  validateTemplate(template, field);
  for (const name of PLACEHOLDERS) {
    if (!isSafePlaceholderValue(values[name]))
      throw new UserFacingError(
        `The ${name} '${values[name]}' cannot be put into a query template: quotes, backslashes and line breaks would change the query (use a value such as v1.4.2)`,
      );
  }
  return template.replace(PLACEHOLDER_PATTERN, (_whole, name: string) => values[name as Placeholder]);
}

/** The window length as a PromQL duration, e.g. `300s`, or `1500ms` for fractional seconds. */
export function windowDuration(window: IntervalWindow): string {
  const seconds = window.endSeconds - window.startSeconds;
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

export function placeholderValues(query: SeriesQuery, window: IntervalWindow): PlaceholderValues {
  return {
    version: query.version,
    role: query.role,
    interval: windowDuration(window),
    environment: query.environment,
  };
}
