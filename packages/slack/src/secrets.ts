import type { Destination } from './notify';

/**
 * The strings that must never be printed: the token, the webhook URL and the webhook URL's path (its secret
 * part, which would still leak if a message showed the path alone). The action registers them for masking.
 */
export function secretStrings(credentials: { webhookUrl?: string; token?: string }): string[] {
  const secrets: string[] = [];
  if (credentials.token) secrets.push(credentials.token);
  if (credentials.webhookUrl) {
    secrets.push(credentials.webhookUrl);
    try {
      const { pathname } = new URL(credentials.webhookUrl);
      if (pathname.length > 1) secrets.push(pathname);
    } catch {
      // an unparsable URL is refused elsewhere; masking the whole string is all that can be done
    }
  }
  return secrets;
}

/** Replaces every secret in a message, longest first so that a secret containing another is hidden whole. */
export function redact(message: string, secrets: string[]): string {
  return [...secrets]
    .sort((a, b) => b.length - a.length)
    .reduce((text, secret) => (secret ? text.split(secret).join('***') : text), message);
}

/** The secrets a destination holds: a webhook's URL, or a bot's token. */
export function credentialsOf(destination: Destination): { webhookUrl?: string; token?: string } {
  return destination.kind === 'webhook' ? { webhookUrl: destination.url } : { token: destination.token };
}
