// Its own module, free of zod, so that the actions' input readers can check a version before anything else loads.

/**
 * Model versions end up in file names, nginx upstream names and log lines, so they are restricted to characters
 * that are safe in all three.
 */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/** What {@link VERSION_PATTERN} allows, as an error says it. */
export const VERSION_RULE =
  'must start with a letter or digit and use only letters, digits, ".", "_", "+" and "-" (e.g. v1.4.0)';
