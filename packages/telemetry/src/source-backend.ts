import { ConfigError, describeZodError } from '@recsys-actions/core';
import type { z } from 'zod';
import type { MetricSource } from './metric-source';

/** A source's config, checked by its backend and tagged with `source`; opaque to everyone else. */
export interface MetricSourceConfig {
  readonly source: string;
  readonly [field: string]: unknown;
}

/** What the caller knows beyond the config mapping: where it runs, when the canary started, which secrets. */
export interface SourceSetup {
  /** How the config is named in errors: the action passes the input that carried it. */
  readonly name: string;
  readonly workspace: string;
  /** The canary's start in epoch seconds, for sources that query by wall-clock time. */
  readonly startSeconds: number;
  readonly credentials: SourceCredentials;
}

export interface SourceCredentials {
  readonly bearerToken?: string;
  readonly basicAuth?: { username: string; password: string };
}

/**
 * One metric source: its `source` value, an example config for errors, how it turns the raw mapping (which
 * carries `source`) and the setup into its config, the secrets that config holds, and how it opens.
 */
export interface MetricSourceBackend<Config extends MetricSourceConfig = MetricSourceConfig> {
  readonly type: string;
  readonly example: string;
  configure(raw: Record<string, unknown>, setup: SourceSetup): Config;
  credentials(config: Config): string[];
  open(config: Config): Promise<MetricSource>;
}

/** Parses a config against its backend's schema, with errors in the registry's words. */
export function parseSourceSchema<Config extends MetricSourceConfig>(
  schema: z.ZodType<Config, unknown>,
  raw: unknown,
  name: string,
  example: string,
): Config {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const source = (raw as { source?: unknown }).source;
  throw new ConfigError(
    'config',
    `for source '${String(source)}' ${describeZodError(parsed.error, name)}`,
    example,
  );
}
