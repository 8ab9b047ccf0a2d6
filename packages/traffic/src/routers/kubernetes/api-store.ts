import { kubeconfigSecrets, openKubeClient, type KubeClient, type ObjectRef } from './client';
import type { RouteStore } from './rule-router';

/**
 * The live object, through the API server. Each write carries the resourceVersion it was planned on, so the
 * server refuses it (409) when anyone changed the object in between.
 */
export function apiStore(ref: ObjectRef, context: string | undefined, requestTimeoutMs: number): RouteStore {
  let client: Promise<KubeClient> | undefined;
  const open = () => (client ??= openKubeClient(context, requestTimeoutMs));
  return {
    description: `${ref.kind} ${ref.namespace}/${ref.name}`,
    lockTarget: `kubernetes:${context ?? 'current-context'}/${ref.plural}.${ref.group}/${ref.namespace}/${ref.name}`,
    credentials: kubeconfigSecrets(),
    hasStatus: true,
    async read() {
      const object = await (await open()).read(ref);
      return { object, version: object.metadata.resourceVersion ?? '' };
    },
    async write(operations, version) {
      const precondition = { op: 'replace' as const, path: '/metadata/resourceVersion', value: version };
      const object = await (await open()).patch(ref, [precondition, ...operations]);
      return { object, version: object.metadata.resourceVersion ?? '' };
    },
  };
}
