import type { ChatPostMessageArguments, ChatUpdateArguments, Logger, LogLevel } from '@slack/web-api';
import type { SlackMessage } from './blocks';
import { SendFailure } from './retry';

// The Slack clients are loaded when the first message is sent, not at import: a run that stops at a bad input
// (or a dry run) never needs them, and they were a large part of notify-slack's cold start.
const webApi = () => import('@slack/web-api');
const webhookClient = () => import('@slack/webhook');

export interface BotTarget {
  channel: string;
  /** Reply in this thread. */
  threadTs?: string;
  /** Replace this message (chat.update) instead of posting a new one. */
  updateTs?: string;
}

/** The exact JSON body sent to Slack, also what dry-run writes. */
export type Payload = SlackMessage & Record<string, unknown>;

export interface Delivered {
  ts?: string;
  channel?: string;
}

/** One attempt at delivering a payload; throws a {@link SendFailure} saying whether to retry. */
export type Transport = (payload: Payload) => Promise<Delivered>;

export function webhookPayload(message: SlackMessage): Payload {
  return { ...message };
}

export function botPayload(message: SlackMessage, target: BotTarget): Payload {
  if (target.updateTs) return { channel: target.channel, ts: target.updateTs, ...message };
  return {
    channel: target.channel,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    ...message,
    unfurl_links: false,
    unfurl_media: false,
  };
}

/**
 * Incoming webhooks through @slack/webhook with its own retries off: it treats 429 as final and cannot see
 * Retry-After, so {@link withRetries} owns the policy and a wrapped fetch reads the header.
 */
export function webhookTransport(url: string, timeoutMs: number): Transport {
  const observed = observedFetch();
  return async (payload) => {
    const { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } = await webhookClient();
    try {
      const webhook = new IncomingWebhook(url, {
        timeout: timeoutMs,
        retryConfig: { retries: 0 },
        fetch: observed.fetch,
      });
      await webhook.send(payload);
      return {};
    } catch (error) {
      if (error instanceof IncomingWebhookHTTPError) {
        const reason = `Slack webhook answered HTTP ${error.statusCode} ${slackErrorCode(error.body)}`;
        if (error.statusCode === 429)
          throw new SendFailure(reason, 'rate-limited', retryAfterMs(observed.retryAfter));
        throw new SendFailure(reason, error.statusCode >= 500 ? 'transient' : 'permanent');
      }
      if (error instanceof IncomingWebhookRequestError) throw networkFailure(observed.error);
      throw unexpectedFailure(error);
    }
  };
}

/** Slack's Web API errors that its documentation calls temporary. */
const TRANSIENT_API_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * Bot-token mode through @slack/web-api, its retries and queueing off (rejectRateLimitedCalls) so that the
 * same bounded policy governs both modes; its own policy waits out Retry-After outside any time budget.
 */
export function botTransport(token: string, apiUrl: string, timeoutMs: number): Transport {
  const observed = observedFetch();
  return async (payload) => {
    const { WebClient, ErrorCode, LogLevel } = await webApi();
    const client = new WebClient(token, {
      fetch: observed.fetch,
      slackApiUrl: apiUrl,
      timeout: timeoutMs,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentLogger(LogLevel.ERROR),
    });
    try {
      // The payload is built by botPayload; our block types are a structural subset of the client's.
      const result =
        typeof payload.ts === 'string'
          ? await client.chat.update(payload as unknown as ChatUpdateArguments)
          : await client.chat.postMessage(payload as unknown as ChatPostMessageArguments);
      return { ts: result.ts, channel: result.channel };
    } catch (error) {
      throw apiFailure(error, observed.error, ErrorCode);
    }
  };
}

function apiFailure(
  error: unknown,
  networkError: unknown,
  ErrorCode: Awaited<ReturnType<typeof webApi>>['ErrorCode'],
): SendFailure {
  if (!(error instanceof Error) || !('code' in error)) return unexpectedFailure(error);
  const coded = error as Error & {
    code: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
  };
  switch (coded.code) {
    case ErrorCode.RateLimitedError:
      return new SendFailure(
        'Slack API answered 429 rate limited',
        'rate-limited',
        (coded.retryAfter ?? 1) * 1000,
      );
    case ErrorCode.HTTPError: {
      const status = coded.statusCode ?? 0;
      return new SendFailure(`Slack API answered HTTP ${status}`, status >= 500 ? 'transient' : 'permanent');
    }
    case ErrorCode.PlatformError: {
      const code = slackErrorCode(coded.data?.error);
      return new SendFailure(
        `Slack API refused the message: ${code}`,
        TRANSIENT_API_ERRORS.has(code) ? 'transient' : 'permanent',
      );
    }
    case ErrorCode.RequestError:
      return networkFailure(networkError);
    default:
      return unexpectedFailure(error);
  }
}

/** Anything else the clients throw (a 429 without Retry-After, say) ends the send; its text is not echoed. */
function unexpectedFailure(error: unknown): SendFailure {
  return new SendFailure(
    `Slack call failed (${error instanceof Error ? error.name : 'unknown error'})`,
    'permanent',
  );
}

/**
 * fetch as the clients call it, remembering the last Retry-After header and the last network error as thrown:
 * the clients drop the header, and re-wrap errors they do not recognise as their own realm's Error (in jest,
 * for one), which loses the reason.
 */
function observedFetch() {
  const observed = {
    retryAfter: null as string | null,
    error: undefined as unknown,
    fetch: async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      try {
        const response = await fetch(input, init);
        observed.retryAfter = response.headers.get('retry-after');
        return response;
      } catch (error) {
        observed.error = error;
        throw error;
      }
    },
  };
  return observed;
}

function networkFailure(error: unknown): SendFailure {
  // fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, a timeout, ...) in its cause. Properties
  // are read rather than instanceof checked, because fetch's errors may come from another realm.
  const reason = field(field(error, 'cause'), 'code') ?? field(error, 'name') ?? 'unknown error';
  return new SendFailure(`could not reach Slack (${String(reason)})`, 'transient');
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Slack answers with short snake_case codes; anything else (an HTML error page, a proxy's text) is not echoed. */
function slackErrorCode(body: unknown): string {
  return typeof body === 'string' && /^[a-z0-9_]{1,60}$/.test(body.trim())
    ? body.trim()
    : 'unexpected response';
}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  return header !== null && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function silentLogger(level: LogLevel): Logger {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    setLevel: () => undefined,
    getLevel: () => level,
    setName: () => undefined,
  };
}
