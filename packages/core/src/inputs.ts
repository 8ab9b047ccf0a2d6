import { readFileSync } from 'node:fs';
import { InputError } from './errors';
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
 * Structured configuration given either inline as YAML (or JSON, which is YAML) or as a path to such a file inside
 * the workspace: its text, read here and parsed in the step's second stage with `parseYamlWith`
 * (structured-input.ts), so that neither the YAML parser nor zod loads before the plain inputs are checked
 * (CONTRIBUTING.md, "Cold start"). Unset is undefined.
 */
export function yamlText(name: string, example: string, workspace: string): InputSpec<string | undefined> {
  return optionalInput(name, example, (raw) =>
    looksLikeYamlPath(raw) ? readFileSync(resolveWorkspaceFile(name, raw, workspace), 'utf8') : raw,
  );
}

/** {@link yamlText} that must be given. */
export function requiredYamlText(name: string, example: string, workspace: string): InputSpec<string> {
  const text = yamlText(name, example, workspace);
  return spec(name, example, (raw) => {
    const given = text.parse(raw);
    if (given === undefined) throw new InputError(name, 'is required', example);
    return given;
  });
}

function looksLikeYamlPath(raw: string): boolean {
  return !raw.includes('\n') && /\.(ya?ml|json)$/i.test(raw);
}

function spec<T>(name: string, example: string, parse: (raw: string) => T): InputSpec<T> {
  return { name, example, parse };
}
