import { ConfigError, describeZodError, formatYamlPath } from '@recsys-actions/core';
import type { z } from 'zod';
import { checkEnvironmentName } from './environment';
import { commandRouterBackend } from './routers/command';
import { fileRouterBackend } from './routers/file';
import { gatewayApiRouterBackend } from './routers/gateway-api';
import { istioRouterBackend } from './routers/istio';
import { nginxRouterBackend } from './routers/nginx/router';
import { albRouterBackend } from './routers/alb';
import { lambdaRouterBackend } from './routers/lambda';
import { sageMakerRouterBackend } from './routers/sagemaker';
import type { Router, RouterBackend, RouterContext } from './router';

/** A config checked by its backend's schema, tagged with the backend's type; opaque to everyone else. */
export interface RouterConfig {
  readonly type: string;
  readonly [field: string]: unknown;
}

const backends = new Map<string, RouterBackend>();

/**
 * Makes a router available under `backend.type`. The built-in ones are registered on import; a test or an
 * extension registers its own the same way. A type registered twice is a programming error.
 */
export function registerRouterBackend<Config>(backend: RouterBackend<Config>): void {
  if (backends.has(backend.type)) throw new Error(`Router '${backend.type}' is already registered`);
  backends.set(backend.type, backend as RouterBackend);
}

registerRouterBackend(fileRouterBackend);
registerRouterBackend(nginxRouterBackend);
registerRouterBackend(commandRouterBackend);
registerRouterBackend(gatewayApiRouterBackend);
registerRouterBackend(istioRouterBackend);
registerRouterBackend(sageMakerRouterBackend);
registerRouterBackend(lambdaRouterBackend);
registerRouterBackend(albRouterBackend);

/** The registered router types, in registration order (the built-in `file` first). */
export function routerTypes(): string[] {
  return [...backends.keys()];
}

/**
 * Validates a router type and its config (the parsed YAML, undefined when empty). Throws {@link ConfigError}:
 * field 'type' for an unknown router, field 'config' naming the router and the offending key otherwise.
 */
export function parseRouterConfig(type: string, config: unknown): RouterConfig {
  const backend = backends.get(type);
  if (!backend) {
    throw new ConfigError('type', `must be one of ${routerTypes().join(', ')}, got '${type}'`, 'file');
  }
  const fields = config ?? {};
  const fault = (problem: string) =>
    new ConfigError('config', `for router '${type}' ${problem}`, backend.example);
  if (typeof fields !== 'object' || Array.isArray(fields)) throw fault('must be a mapping of keys to values');
  if ('type' in fields) throw fault("must not set 'type'; use the router input");
  const parsed = backend.configSchema.safeParse(fields);
  if (!parsed.success) throw fault(describeIssue(parsed.error));
  return { ...(parsed.data as object), type };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    return `has an unknown key '${formatYamlPath('', [...issue.path, issue.keys[0] ?? ''])}'`;
  }
  return describeZodError(error);
}

export function createRouter(config: RouterConfig, context: RouterContext): Router {
  checkEnvironmentName(context.environment);
  const backend = backends.get(config.type);
  if (!backend) throw new Error(`Router '${config.type}' is not registered`);
  const { type: _type, ...fields } = config;
  return backend.create(fields, context);
}
