export * from './blocks';
export { escapeSlack, inlineCode, parseMentions } from './escape';
export { checkEndpoint, SLACK_API_URL, SLACK_WEBHOOK_HOST, type EndpointPolicy } from './endpoint';
export { NOTIFY_INPUT_SPECS, readNotifyOptions, type ReadContext } from './inputs';
export { SLACK_LIMITS, RENDER_BUDGET } from './limits';
export {
  notifySlack,
  renderMessage,
  type Destination,
  type MessageSource,
  type NotifyOptions,
  type NotifyResult,
} from './notify';
export { renderReportMessage, type RenderOptions } from './report-message';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export { credentialsOf, redact, secretStrings } from './secrets';
export { renderStatusMessage, STATUSES, type Status, type StatusMessage } from './status-message';
export type { BotTarget, Payload } from './transports';
export { validatePayload, type PayloadViolation } from './validate';
