import * as z from 'zod/mini';
import { parseChecks, type CheckConfig } from '@recsys-actions/canary';
import { parseYamlWith } from '@recsys-actions/core';
import { CHECKS_EXAMPLE, SOURCE_CONFIG_EXAMPLE } from './inputs';

// Loaded in the step's second stage, once the plain inputs are known to be good (inputs.ts).

/** The `checks` input's YAML: a list of checks, each checked by the canary package. */
export function parseCheckList(text: string): CheckConfig[] {
  return parseChecks(parseYamlWith('checks', text, z.unknown(), CHECKS_EXAMPLE));
}

/** The `source-config` input's YAML: a map the chosen metric source checks when it is opened. */
export function parseSourceConfig(text: string): Record<string, unknown> {
  return parseYamlWith('source-config', text, z.record(z.string(), z.unknown()), SOURCE_CONFIG_EXAMPLE);
}
