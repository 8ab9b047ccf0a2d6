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

/**
 * A bad backend configuration, found by the package that owns the backend. It says which part is wrong (the
 * backend type or its settings) rather than naming an action input: each action knows which input carried that
 * part and turns this into an {@link InputError} for it with {@link ConfigError.toInputError}.
 */
export class ConfigError extends UserFacingError {
  override name = 'ConfigError';
  constructor(
    /** Which part is wrong: the backend name itself, its settings, or the credentials given to it. */
    readonly part: 'type' | 'config' | 'credentials',
    readonly problem: string,
    readonly example?: string,
  ) {
    super(`Backend ${part === 'config' ? 'config' : part} ${problem}`);
  }

  /** The same problem, told as a fault of the action input that carried it. */
  toInputError(input: string): InputError {
    return new InputError(input, this.problem, this.example);
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
