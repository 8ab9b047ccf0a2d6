import { InputError } from '@recsys-actions/core';

export const SLACK_WEBHOOK_HOST = 'hooks.slack.com';
export const SLACK_API_URL = 'https://slack.com/api/';

export interface EndpointPolicy {
  /** Hosts accepted besides Slack's own, e.g. an enterprise proxy (`host` or `host:port`). */
  allowedHosts: string[];
  /**
   * Test-only: also accept plain http when the host is a loopback address listed in allowedHosts, so tests can
   * point the sender at the local Slack receiver. Never enabled by a workflow input.
   */
  allowInsecureLoopback?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Refuses an endpoint before any request is made unless it is https on Slack's host (or an allowed one). The
 * URL may carry the webhook secret, so messages name the input and the host, never the URL.
 */
export function checkEndpoint(
  input: string,
  raw: string,
  slackHost: string,
  policy: EndpointPolicy,
  example: string,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(input, 'is not a valid URL', example);
  }
  const host = url.hostname.toLowerCase();
  const allowed = [slackHost, ...policy.allowedHosts].map((entry) => entry.toLowerCase());
  const hostAllowed = allowed.includes(host) || allowed.includes(url.host.toLowerCase());
  const insecureLoopback =
    policy.allowInsecureLoopback === true && url.protocol === 'http:' && LOOPBACK.has(host) && hostAllowed;
  if (!hostAllowed)
    throw new InputError(
      input,
      `points to host '${host}', which is neither ${slackHost} nor listed in allowed-hosts`,
      example,
    );
  if (url.protocol !== 'https:' && !insecureLoopback)
    throw new InputError(input, `must be an https URL, got a ${url.protocol.replace(':', '')} URL`, example);
  if (url.username || url.password) throw new InputError(input, 'must not contain credentials', example);
  return url;
}
