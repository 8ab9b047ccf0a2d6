// Parsing of structured (YAML or JSON) inputs and zod's descriptions of what is wrong with them. This module is
// reached only from a step's second stage, which the bundler loads after the plain inputs are checked: a bad input
// never loads zod or the YAML parser (CONTRIBUTING.md, "Cold start").
import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';
import type { $ZodError } from 'zod/v4/core';
import { InputError } from './errors';
import { type InputSpec, yamlText } from './inputs';
import './zod-english';

/** A zod schema, classic or zod/mini. */
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

/**
 * An input read by a backend once it is opened (router-config, for one): {@link yamlText} parsed at once and
 * checked against a zod schema, errors naming the offending key.
 */
export function yamlInput<T>(
  name: string,
  schema: ParsingSchema<T>,
  options: { example: string; workspace: string; fallback?: T },
): InputSpec<T> {
  const text = yamlText(name, options.example, options.workspace);
  return {
    name,
    example: options.example,
    parse(raw) {
      const given = text.parse(raw);
      if (given !== undefined) return parseYamlWith(name, given, schema, options.example);
      if (options.fallback !== undefined) return options.fallback;
      throw new InputError(name, 'is required', options.example);
    },
  };
}

// The YAML parser (~100 KB) is loaded on first use rather than at import: a backend that imports this module for
// its error messages need not parse any YAML. In the bundle, the bundler's own require evaluates the bundled
// module then; from source (tests, local-action), Node's require loads it.
const yaml = (): typeof YamlModule =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundler's lazy require, see above
  typeof require === 'function' ? require('yaml') : createRequire(import.meta.url)('yaml');

/** The YAML text of input `name`, parsed and checked against `schema`; either failure is an InputError. */
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
