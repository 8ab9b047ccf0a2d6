import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import { versionSchema } from '../../split';
import { ruleSelectorSchema } from './weighted-rule';

/** A Kubernetes object name or namespace (an RFC 1123 subdomain). */
const objectName = lazily(() =>
  z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes name, e.g. recsys'),
);

/**
 * The config both Kubernetes routers share; `backends` maps each version to the router's own backend shape.
 * `git` mode needs `path`, the manifest in the repository.
 */
export function kubernetesRouterSchema<B extends z.ZodType>(backend: B) {
  return z
    .strictObject({
      mode: z.enum(['api', 'git']).default('api'),
      namespace: objectName(),
      name: objectName(),
      rule: ruleSelectorSchema(),
      backends: z
        .record(versionSchema(), backend)
        .refine((map) => Object.keys(map).length > 0, 'must map at least one version to its backend'),
      /** api mode: the kubeconfig context (default the current one). */
      context: z.string().min(1).optional(),
      /** git mode: the manifest (a YAML file, one or more documents, or a kustomize patch), in the workspace. */
      path: z.string().min(1).optional(),
      /** How long verify waits for the controller's Accepted/ResolvedRefs conditions. */
      verifyTimeoutMs: z.number().int().min(0).default(60_000),
      /** api mode: how long one request may take before it is given up and retried. */
      requestTimeoutMs: z.number().int().min(1).default(30_000),
    })
    .refine((config) => config.mode !== 'git' || config.path !== undefined, {
      path: ['path'],
      message: 'is required in git mode: the manifest to patch, e.g. deploy/route.yaml',
    });
}
