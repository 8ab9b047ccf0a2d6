import { ConfigError } from '@recsys-actions/core';

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Environment names become file names (`traffic/<environment>.json`, ledger files), so they must be plain.
 * Throws a {@link ConfigError} on the field `environment`.
 */
export function checkEnvironmentName(environment: string): string {
  if (!ENVIRONMENT_NAME.test(environment) || environment.includes('..')) {
    throw new ConfigError(
      'environment',
      `must be a plain name of letters, digits, ".", "_" or "-", got '${environment}'`,
      'production',
    );
  }
  return environment;
}
