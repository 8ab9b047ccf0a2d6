import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';
import type { $ZodError } from 'zod/v4/core';
import { InputError } from './errors';
import './zod-english';
import { resolveWorkspaceFile } from './workspace';

/** Reads one raw action input; '' means "not set", as on the runner. */
export type InputReader = (name: string) => string;

/** How one action input is named, parsed and illustrated in error messages. */
export interface InputSpec<T> {
  readonly name: string;
  readonly example: string;
  parse(raw: string): T;
}

type Parsed<S> = { [K in keyof S]: S[K] extends InputSpec<infer T> ? T : never };

/** Parses every input of a step at once, failing on the first bad one with an {@link InputError}. */
export function readInputs<S extends Record<string, InputSpec<unknown>>>(
  specs: S,
  read: InputReader,
): Parsed<S> {
  const result: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) result[key] = spec.parse(read(spec.name).trim());
  return result as Parsed<S>;
}

/**
 * A zod schema, classic or zod/mini: inputs are read before anything else, so their schemas may be written with
 * zod/mini, which keeps classic zod's ~150 KB out of a bad input's cold start (CONTRIBUTING.md, "Cold start").
 */
export interface ParsingSchema<T, In = unknown> {
  safeParse(data: In): { success: true; data: T } | { success: false; error: $ZodError };
}

/**
 * Describes the first zod issue as "is invalid at checks[1].bad: message", the path written the way the
 * user's YAML reads (list positions in brackets, keys after dots), starting at the input's name.
 */
export function describeZodError(error: $ZodError, inputName = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'is invalid';
  if (issue.path.length === 0) return `is invalid: ${issue.message}`;
  return `is invalid at ${formatYamlPath(inputName, issue.path)}: ${issue.message}`;
}

export function formatYamlPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    root,
  );
}

/** An input whose raw text is validated by a zod schema working on strings (or values parsed from them). */
export function input<T>(name: string, schema: ParsingSchema<T, string>, example: string): InputSpec<T> {
  return {
    name,
    example,
    parse(raw) {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new InputError(name, describeZodError(parsed.error, name), example);
      return parsed.data;
    },
  };
}

export function requiredText(name: string, example: string): InputSpec<string> {
  return spec(name, example, (raw) => {
    if (raw === '') throw new InputError(name, 'is required', example);
    return raw;
  });
}

/** The one reader of inputs that may be left unset: '' is undefined, anything else goes through `parse`. */
export function optionalInput<T>(
  name: string,
  example: string,
  parse: (raw: string) => T,
): InputSpec<T | undefined> {
  return spec(name, example, (raw) => (raw === '' ? undefined : parse(raw)));
}

/** Text that falls back to `fallback` (the action.yml default) when unset. */
export function textInput(name: string, fallback: string, example = fallback): InputSpec<string> {
  return spec(name, example, (raw) => (raw === '' ? fallback : raw));
}

export function optionalText(name: string, example: string): InputSpec<string | undefined> {
  return optionalInput(name, example, (raw) => raw);
}

/** YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them. */
export function booleanInput(name: string, fallback: boolean): InputSpec<boolean> {
  return spec(name, String(!fallback), (raw) => {
    if (raw === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    throw new InputError(name, `must be true or false, got '${raw}'`, String(!fallback));
  });
}

export function numberInput(
  name: string,
  options: {
    fallback?: number;
    min?: number;
    max?: number;
    exclusiveMin?: number;
    integer?: boolean;
    example: string;
  },
): InputSpec<number> {
  return spec(name, options.example, (raw) => {
    if (raw === '') {
      if (options.fallback === undefined) throw new InputError(name, 'is required', options.example);
      return options.fallback;
    }
    const value = Number(raw);
    const fail = (what: string) => new InputError(name, `${what}, got '${raw}'`, options.example);
    if (!Number.isFinite(value)) throw fail('must be a number');
    if (options.integer && !Number.isInteger(value)) throw fail('must be a whole number');
    if (options.min !== undefined && value < options.min) throw fail(`must be at least ${options.min}`);
    if (options.exclusiveMin !== undefined && value <= options.exclusiveMin)
      throw fail(`must be greater than ${options.exclusiveMin}`);
    if (options.max !== undefined && value > options.max) throw fail(`must be at most ${options.max}`);
    return value;
  });
}

/** A number that may be left unset (undefined), with the same checks as {@link numberInput}. */
export function optionalNumberInput(
  name: string,
  options: { min?: number; max?: number; exclusiveMin?: number; integer?: boolean; example: string },
): InputSpec<number | undefined> {
  return optionalInput(name, options.example, numberInput(name, options).parse);
}

export function choiceInput<const C extends readonly string[]>(
  name: string,
  choices: C,
  fallback?: C[number],
): InputSpec<C[number]> {
  return spec(name, choices[0] ?? '', (raw) => {
    if (raw === '' && fallback !== undefined) return fallback;
    if ((choices as readonly string[]).includes(raw)) return raw as C[number];
    throw new InputError(name, `must be one of ${choices.join(', ')}, got '${raw}'`, choices[0]);
  });
}

/** A comma- or newline-separated list, blanks dropped; `fallback` when unset. */
export function listInput(
  name: string,
  example: string,
  fallback: readonly string[] = [],
): InputSpec<string[]> {
  return spec(name, example, (raw) =>
    raw === ''
      ? [...fallback]
      : raw
          .split(/[,\n]/)
          .map((item) => item.trim())
          .filter(Boolean),
  );
}

const DAY_MS = 86_400_000;
const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
};

/** Durations such as `500ms`, `60s`, `15m`, `1h`, `28d` or `4w`; a bare number is seconds. */
export function durationInput(name: string, fallbackMs: number, example = '60s'): InputSpec<number> {
  return spec(name, example, (raw) => {
    if (raw === '') return fallbackMs;
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(raw);
    if (!match)
      throw new InputError(name, `must be a duration such as 30s, 15m, 1h or 28d, got '${raw}'`, example);
    const ms = Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? 's'] ?? 1000);
    if (ms <= 0) throw new InputError(name, 'must be longer than zero', example);
    return ms;
  });
}

/**
 * Structured configuration given either inline as YAML (or JSON, which is YAML) or as a path to such a file
 * inside the workspace. The parsed value is checked against a zod schema and errors name the offending key.
 */
export function yamlInput<T>(
  name: string,
  schema: ParsingSchema<T>,
  options: { example: string; workspace: string; fallback?: T },
): InputSpec<T> {
  return spec(name, options.example, (raw) => {
    if (raw === '') {
      if (options.fallback !== undefined) return options.fallback;
      throw new InputError(name, 'is required', options.example);
    }
    const text = looksLikeYamlPath(raw)
      ? readFileSync(resolveWorkspaceFile(name, raw, options.workspace), 'utf8')
      : raw;
    return parseYamlWith(name, text, schema, options.example);
  });
}

// The YAML parser (~100 KB) is loaded on first use rather than at import: most runs that stop at a bad input, and
// every run whose inputs hold no YAML, never parse any. In the bundle, the bundler's own require evaluates the
// bundled module then; from source (tests, local-action), Node's require loads it.
const yaml = (): typeof YamlModule =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundler's lazy require, see above
  typeof require === 'function' ? require('yaml') : createRequire(import.meta.url)('yaml');

export function parseYamlWith<T>(name: string, text: string, schema: ParsingSchema<T>, example: string): T {
  let document: unknown;
  try {
    document = yaml().parse(text);
  } catch (error) {
    const reason = error instanceof yaml().YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new InputError(name, `is not valid YAML (${reason})`, example);
  }
  const parsed = schema.safeParse(document);
  if (!parsed.success) throw new InputError(name, describeZodError(parsed.error, name), example);
  return parsed.data;
}

function looksLikeYamlPath(raw: string): boolean {
  return !raw.includes('\n') && /\.(ya?ml|json)$/i.test(raw);
}

function spec<T>(name: string, example: string, parse: (raw: string) => T): InputSpec<T> {
  return { name, example, parse };
}
