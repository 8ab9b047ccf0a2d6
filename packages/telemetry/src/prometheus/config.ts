import { lazily } from '@recsys-actions/core';
import { z } from 'zod';

const ADDRESS_EXAMPLE = 'http://prometheus.monitoring:9090';
const HEADER_VALUE = /^[^\r\n]*$/;

const addressSchema = lazily(() =>
  z.string().superRefine((raw, context) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      context.addIssue({ code: 'custom', message: `must be an http(s) URL such as ${ADDRESS_EXAMPLE}` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      context.addIssue({ code: 'custom', message: `must be an http(s) URL such as ${ADDRESS_EXAMPLE}` });
    else if (url.username || url.password)
      // fetch refuses such URLs, and the address appears in logs: credentials belong in basicAuth.
      context.addIssue({ code: 'custom', message: 'must not contain credentials; set basicAuth instead' });
    else if (url.search || url.hash)
      context.addIssue({
        code: 'custom',
        message: `must not have a query or fragment; the API path is appended to it, as in ${ADDRESS_EXAMPLE}`,
      });
  }),
);

export const prometheusSourceConfigSchema = lazily(() =>
  z
    .strictObject({
      source: z.literal('prometheus'),
      /** The API root that `/api/v1/query` is appended to, e.g. a Mimir or VictoriaMetrics prefix. */
      address: addressSchema(),
      bearerToken: z.string().min(1).optional(),
      basicAuth: z.strictObject({ username: z.string().min(1), password: z.string() }).optional(),
      /** Extra headers such as Mimir's X-Scope-OrgID. */
      headers: z
        .record(z.string().min(1), z.string().regex(HEADER_VALUE, 'must be a single line'))
        .default({}),
      timeoutSeconds: z.number().positive().max(600).default(30),
      /** The canary's start in epoch seconds; window offsets are added to it. */
      start: z.number().nonnegative(),
    })
    .refine((config) => !(config.bearerToken && config.basicAuth), {
      message: 'set either bearerToken or basicAuth, not both',
      path: ['basicAuth'],
    }),
);
export type PrometheusSourceConfig = z.infer<ReturnType<typeof prometheusSourceConfigSchema>>;
