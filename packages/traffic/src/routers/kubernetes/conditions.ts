import type { KubeObject } from './client';

/** Conditions a controller sets once it has taken a route in: Gateway API's two, and Istio's. */
const READY_TYPES = new Set(['Accepted', 'ResolvedRefs', 'Reconciled']);

interface Condition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
  observedGeneration?: unknown;
}

/**
 * Why the object is not in force yet, or undefined when it is: every Accepted / ResolvedRefs / Reconciled
 * condition (per parent Gateway, or on the object) is True for the current generation. An object without such
 * conditions has no controller reporting on it, so there is nothing to wait for.
 */
export function notReadyBecause(object: KubeObject): string | undefined {
  const generation = object.metadata.generation;
  const status = (object.status ?? {}) as {
    conditions?: Condition[];
    parents?: { parentRef?: { name?: unknown }; conditions?: Condition[] }[];
  };
  const groups = [
    ...(status.parents ?? []).map((parent) => ({
      owner: `parent ${String(parent.parentRef?.name ?? '?')}`,
      conditions: parent.conditions ?? [],
    })),
    { owner: 'the object', conditions: status.conditions ?? [] },
  ];
  for (const { owner, conditions } of groups) {
    for (const condition of conditions) {
      if (typeof condition.type !== 'string' || !READY_TYPES.has(condition.type)) continue;
      const observed = condition.observedGeneration;
      if (typeof observed === 'number' && generation !== undefined && observed < generation) {
        return `${owner} has not reported on generation ${generation} yet (${condition.type} is for ${observed})`;
      }
      if (condition.status !== 'True') {
        return `${owner} reports ${condition.type} ${String(condition.status)} (${String(condition.reason ?? '')}: ${String(condition.message ?? '')})`;
      }
    }
  }
  return undefined;
}
