import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import { versionSchema } from '../../split';

/** Rejects characters that could end an nginx directive or smuggle in a new one. */
const nginxToken = lazily(() =>
  z.string().regex(/^[^\s;{}#"'\\$]+$/, 'must be a plain host:port or unix:/path, e.g. 127.0.0.1:8081'),
);

const commandSchema = lazily(() => z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]));

export const nginxRouterConfigSchema = lazily(() =>
  z
    .object({
      /** The file nginx includes at `http` level; relative paths are resolved against the workspace. */
      path: z.string().min(1),
      /** Name of the upstream; the rendered file sets `$<upstream>_upstream` for `proxy_pass http://$<upstream>_upstream;`. */
      upstream: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be letters, digits and "_", e.g. recsys')
        .default('recsys'),
      servers: z.record(versionSchema(), z.array(nginxToken()).min(1, 'needs at least one server')),
      /** What `split_clients` hashes for `user` stickiness. */
      userKey: z
        .string()
        .regex(/^[^"\\\n]+$/, 'must not contain quotes, backslashes or new lines, e.g. $http_x_user_id')
        .default('$http_x_user_id'),
      /** Loopback address of the small server the rendered file adds so apply() can see which config is live. */
      probeListen: nginxToken().default('127.0.0.1:8189'),
      testCommand: commandSchema().default(['nginx', '-t']),
      reloadCommand: commandSchema().default(['nginx', '-s', 'reload']),
      /** How long to wait for the workers to serve the new config after the reload signal. */
      reloadTimeoutMs: z.number().int().positive().default(10_000),
    })
    .strict(),
);
export type NginxRouterConfig = z.infer<ReturnType<typeof nginxRouterConfigSchema>>;
