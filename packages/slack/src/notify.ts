import { UserFacingError, writeFileAtomic, type Report } from '@recsys-actions/core';
import type { SlackMessage } from './blocks';
import { checkEndpoint, SLACK_API_URL, SLACK_WEBHOOK_HOST, type EndpointPolicy } from './endpoint';
import { renderReportMessage } from './report-message';
import { DEFAULT_RETRY_POLICY, SendFailure, withRetries, type RetryPolicy } from './retry';
import { credentialsOf, redact, secretStrings } from './secrets';
import { renderStatusMessage, type StatusMessage } from './status-message';
import {
  botPayload,
  botTransport,
  webhookPayload,
  webhookTransport,
  type BotTarget,
  type Payload,
  type Transport,
} from './transports';
import { validatePayload } from './validate';

export type Destination =
  { kind: 'webhook'; url: string } | ({ kind: 'bot'; token: string; apiUrl?: string } & BotTarget);

export type MessageSource = { kind: 'report'; report: Report } | { kind: 'status'; status: StatusMessage };

export interface NotifyOptions extends EndpointPolicy {
  /** Where to send; may be absent only for a dry run, which then writes a webhook-shaped payload. */
  destination?: Destination;
  source: MessageSource;
  /** Validated tokens from parseMentions; used only on failure-toned messages. */
  mentions?: string[];
  /** true: a send that finally fails throws a UserFacingError; false: it is returned as a warning. */
  failOnError: boolean;
  /** Write the payload and send nothing. */
  dryRun: boolean;
  /** Where the exact JSON payload is written (always when set; required for a dry run). */
  payloadPath?: string;
  retry?: Partial<RetryPolicy>;
}

export interface NotifyResult {
  ok: boolean;
  ts?: string;
  channel?: string;
  threadTs?: string;
  payloadPath?: string;
  /** Why the message was not delivered, when failOnError is false. */
  warning?: string;
  attempts: number;
}

export function renderMessage(source: MessageSource, mentions: string[] = []): SlackMessage {
  return source.kind === 'report'
    ? renderReportMessage(source.report, { mentions })
    : renderStatusMessage(source.status, { mentions });
}

/** Renders, checks, optionally writes and then sends one message, returning what Slack answered. */
export async function notifySlack(options: NotifyOptions): Promise<NotifyResult> {
  const { destination } = options;
  if (options.dryRun && !options.payloadPath)
    throw new UserFacingError('A dry run needs a payload path to write the message to.');
  if (!destination && !options.dryRun)
    throw new UserFacingError('Only a dry run may have no webhook or token.');
  const transport = destination && createTransport(destination, options);
  const message = renderMessage(options.source, options.mentions);
  const payload = destination?.kind === 'bot' ? botPayload(message, destination) : webhookPayload(message);
  assertAcceptable(payload);
  if (options.payloadPath) writeFileAtomic(options.payloadPath, `${JSON.stringify(payload, null, 2)}\n`);
  const threadTs = destination?.kind === 'bot' ? destination.threadTs : undefined;
  if (options.dryRun || !transport || !destination) {
    return { ok: true, payloadPath: options.payloadPath, threadTs, attempts: 0 };
  }
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  try {
    const { value, attempts } = await withRetries(policy, () => transport(payload));
    return { ok: true, ...value, threadTs, payloadPath: options.payloadPath, attempts };
  } catch (error) {
    if (!(error instanceof SendFailure)) throw error;
    const secrets = secretStrings(credentialsOf(destination));
    const warning = redact(`Slack message not sent: ${error.message}`, secrets);
    if (options.failOnError) throw new UserFacingError(warning);
    return { ok: false, threadTs, payloadPath: options.payloadPath, warning, attempts: error.attempts ?? 1 };
  }
}

/** Checks the endpoint first, so that a refused URL never sees a request, not even in a dry run. */
function createTransport(destination: Destination, options: NotifyOptions): Transport {
  const timeout = options.retry?.requestTimeoutMs ?? DEFAULT_RETRY_POLICY.requestTimeoutMs;
  if (destination.kind === 'webhook') {
    const url = checkEndpoint('webhook-url', destination.url, SLACK_WEBHOOK_HOST, options, WEBHOOK_EXAMPLE);
    return webhookTransport(url.href, timeout);
  }
  const apiUrl = checkEndpoint(
    'slack-api-url',
    destination.apiUrl ?? SLACK_API_URL,
    'slack.com',
    options,
    SLACK_API_URL,
  );
  return botTransport(destination.token, apiUrl.href, timeout);
}

export const WEBHOOK_EXAMPLE = '${{ secrets.SLACK_WEBHOOK_URL }}';

/** The renderer keeps every message within Slack's limits; a violation here is a bug in this package. */
function assertAcceptable(payload: Payload): void {
  const violations = validatePayload(payload);
  if (violations.length > 0) {
    const first = violations[0];
    throw new Error(`Rendered Slack payload breaks a limit at ${first?.path}: ${first?.problem}`);
  }
}
