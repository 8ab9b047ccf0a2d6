import type { RouterContext } from '../../router';
import { apiStore } from './api-store';
import type { ObjectRef } from './client';
import { gitStore } from './git-store';
import type { RouteStore } from './rule-router';

/** The object's home in the config's mode: the API server, or a manifest in the repository. */
export function openRouteStore(
  config: { mode: 'api' | 'git'; context?: string; path?: string; requestTimeoutMs: number },
  context: RouterContext,
  ref: ObjectRef,
): RouteStore {
  if (config.mode === 'api') return apiStore(ref, config.context, config.requestTimeoutMs);
  return gitStore(ref, config.path ?? '', context.workspace);
}
