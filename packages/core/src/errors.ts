/**
 * Errors meant for the person who configured the step. The action runtime prints their message as a single
 * `::error::` line and exits non-zero; any other error is treated as a bug in the suite.
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

/** A bad action input: names the input, says what is wrong and shows a value that would work. */
export class InputError extends UserFacingError {
  override name = 'InputError';
  constructor(
    readonly input: string,
    readonly problem: string,
    readonly example?: string,
  ) {
    super(`Input '${input}' ${problem}${example === undefined ? '' : `. Example: ${input}: ${example}`}`);
  }
}

/** Turns a domain field (`alpha`, `checks`) into the name its caller knows it by, e.g. an action input. */
export type FieldNamer = (field: string) => string;

/**
 * A bad setting found by a domain package, named by the package's own field (an option key, or a path such
 * as `checks[1].bad`), never by an action input: packages do not know which input a value came from. The
 * problem may name related fields through the namer, so a caller can show them under its own names. Actions
 * turn it into an {@link InputError} with {@link inputErrorFrom}; elsewhere the message names the fields.
 */
export class ConfigError extends UserFacingError {
  override name = 'ConfigError';
  constructor(
    readonly field: string,
    readonly problem: string | ((name: FieldNamer) => string),
    /** A value that would work, when the package can suggest one; a caller's own example wins. */
    readonly example?: string,
  ) {
    super(`${field} ${describeProblem(problem, (name) => name)}`);
  }

  describe(name: FieldNamer): string {
    return describeProblem(this.problem, name);
  }

  /** The same problem, told as a fault of the one action input that carried the whole field. */
  toInputError(input: string): InputError {
    return new InputError(
      input,
      this.describe((field) => field),
      this.example,
    );
  }
}

function describeProblem(problem: ConfigError['problem'], name: FieldNamer): string {
  return typeof problem === 'string' ? problem : problem(name);
}

/** The action input a domain field comes from, and the example its error shows. */
export interface InputOfField {
  readonly input: string;
  readonly example?: string;
}

/**
 * Maps a {@link ConfigError} whose field is in `fields` to the {@link InputError} a person fixes in the
 * workflow (related fields named as inputs too); any other error is returned unchanged, to be rethrown.
 */
export function inputErrorFrom(error: unknown, fields: Readonly<Record<string, InputOfField>>): unknown {
  if (!(error instanceof ConfigError)) return error;
  const target = inputOfField(error.field, fields);
  if (target === undefined) return error;
  const name: FieldNamer = (field) => fields[field]?.input ?? field;
  // Inside an input (`checks[0].bad`), the package's own example fits the part better than the input's.
  const example = target.within ? (error.example ?? target.example) : (target.example ?? error.example);
  return new InputError(`${target.input}${target.within}`, error.describe(name), example);
}

/** The input a field comes from: the field itself, or the root of a path into it (`checks` of `checks[0].bad`). */
function inputOfField(
  field: string,
  fields: Readonly<Record<string, InputOfField>>,
): (InputOfField & { within: string }) | undefined {
  const exact = fields[field];
  if (exact) return { ...exact, within: '' };
  const root = /^[^.[]+/.exec(field)?.[0];
  const nested = root === undefined ? undefined : fields[root];
  return nested && root !== undefined ? { ...nested, within: field.slice(root.length) } : undefined;
}

/**
 * Runs `body`, rethrowing its {@link ConfigError}s (thrown at once or by the promise it returns) as the
 * matching {@link InputError}s, see {@link inputErrorFrom}.
 */
export function withInputNames<T>(fields: Readonly<Record<string, InputOfField>>, body: () => T): T {
  const rethrow = (error: unknown): never => {
    throw inputErrorFrom(error, fields);
  };
  try {
    const result = body();
    return (result instanceof Promise ? result.catch(rethrow) : result) as T;
  } catch (error) {
    return rethrow(error);
  }
}

/** A problem found in a data file: names the file and, when known, the line and column. */
export class DataError extends UserFacingError {
  override name = 'DataError';
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly location: { line?: number; column?: string } = {},
  ) {
    const where = [
      location.line === undefined ? '' : `line ${location.line}`,
      location.column === undefined ? '' : `column '${location.column}'`,
    ]
      .filter(Boolean)
      .join(', ');
    super(`${file}${where ? ` (${where})` : ''}: ${problem}`);
  }
}

/** Collapses any message to one line, because the runner shows only the first line of an annotation. */
export function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}
