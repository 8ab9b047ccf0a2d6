import { ConfigError, InputError, optionalInput, type InputSpec } from '@recsys-actions/core';
import { checkEnvironmentName } from '@recsys-actions/traffic/environment';
import { VERSION_PATTERN, VERSION_RULE } from '@recsys-actions/traffic/version';

export function environmentInput(): InputSpec<string> {
  return {
    name: 'environment',
    example: 'production',
    parse(raw) {
      if (raw === '') throw new InputError('environment', 'is required', 'production');
      try {
        return checkEnvironmentName(raw);
      } catch (error) {
        if (error instanceof ConfigError) throw error.toInputError('environment');
        throw error;
      }
    },
  };
}

/** A model version as routers and ledgers accept it, e.g. v1.4.0. */
export function versionInput(name: string, example: string): InputSpec<string> {
  return {
    name,
    example,
    parse(raw) {
      if (raw === '') throw new InputError(name, 'is required', example);
      if (!VERSION_PATTERN.test(raw)) throw new InputError(name, `${VERSION_RULE}, got '${raw}'`, example);
      return raw;
    },
  };
}

export function optionalVersionInput(name: string, example: string): InputSpec<string | undefined> {
  return optionalInput(name, example, versionInput(name, example).parse);
}

/** An http(s) URL, e.g. a health check. */
export function optionalHttpUrlInput(name: string, example: string): InputSpec<URL | undefined> {
  return optionalInput(name, example, (raw) => {
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
      throw new InputError(name, `must be an http or https URL, got '${raw}'`, example);
    return url;
  });
}

/** A URL with a `{version}` placeholder, kept as written: each version fills it in (see targetUrl). */
export function optionalVersionUrlInput(name: string, example: string): InputSpec<string | undefined> {
  return optionalInput(name, example, (raw) => {
    if (!raw.includes('{version}'))
      throw new InputError(name, `must contain {version}, where the version goes, got '${raw}'`, example);
    optionalHttpUrlInput(name, example).parse(raw.replaceAll('{version}', 'v1'));
    return raw;
  });
}
