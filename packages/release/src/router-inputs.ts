import { z } from 'zod';
import { choiceInput, ConfigError, UserFacingError, yamlInput, type InputReader } from '@recsys-actions/core';
import { parseRouterConfig, routerTypes, type RouterConfig } from '@recsys-actions/traffic';

/**
 * The `router` and `router-config` inputs together: the router is checked first, so a wrong router name is
 * reported as such rather than as a config mismatch; config errors then name the router and the key.
 */
export function readRouterConfig(read: InputReader, workspace: string): RouterConfig {
  const type = choiceInput('router', routerTypes(), 'file').parse(read('router').trim());
  const fields = yamlInput('router-config', z.unknown(), {
    example: '{ path: traffic/production.json }',
    workspace,
    fallback: {},
  }).parse(read('router-config').trim());
  try {
    return parseRouterConfig(type, fields);
  } catch (error) {
    if (error instanceof ConfigError)
      throw error.toInputError(error.field === 'type' ? 'router' : 'router-config');
    throw error;
  }
}

/**
 * Runs a release step, naming the router's `config` field as the `router-config` input in the faults a router
 * finds only while it applies a split (no servers for a version, a traffic file it cannot write). Those are not
 * typos in one key, so they read "router-config for router ..." rather than as an input's bad value.
 */
export async function withRouterInputNames<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ConfigError && error.field === 'config')
      throw new UserFacingError(`router-config ${error.describe((field) => field)}`);
    throw error;
  }
}
