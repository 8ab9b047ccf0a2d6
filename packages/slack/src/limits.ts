/**
 * Slack's documented Block Kit and message limits (docs.slack.dev, "Block Kit" reference pages and
 * chat.postMessage). Lengths are counted in UTF-16 code units, which is never fewer than the characters
 * Slack counts, so staying under them in JavaScript keeps us under Slack's limits too.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  /** chat.postMessage: Slack truncates longer messages and rejects some with msg_too_long. */
  messageText: 40_000,
  blockId: 255,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  /** A context element is a text object, whose text is limited to 3000 characters like any text object. */
  contextElementText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  actionId: 255,
} as const;

/**
 * What our renderer allows itself per part, tighter than Slack. The fallback text is what notifications and
 * screen readers show, and Slack advises keeping it within 4000 characters. The parts together stay well below
 * the point where Slack has been seen answering msg_blocks_too_long (about 13,000 characters of block text,
 * an undocumented limit reported in slackapi/bolt-js#2509).
 */
export const RENDER_BUDGET = {
  fallbackText: 3000,
  title: 2000,
  field: 300,
  summary: 1500,
  checks: 3000,
  /** Charts and tables, as short lists and one-line mentions. */
  sections: 1500,
  notes: 1500,
  footerElement: 300,
  /** Longer links are left out rather than cut, since a cut URL leads nowhere. */
  linkUrl: 1000,
} as const;
