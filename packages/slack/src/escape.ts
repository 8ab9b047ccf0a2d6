import { InputError } from '@recsys-actions/core';

/**
 * Makes text from data or people inert in Slack mrkdwn: `&`, `<` and `>` are the only characters Slack
 * interprets as control sequences (links, mentions such as `<!channel>` or `<@U123>`, dates), so escaping them
 * is what turns a hostile `<!here>` into literal text. Line breaks are kept; Slack shows them as such.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Shows an identifier (a check, a column, a version) as inline code. Slack has no escape for a backtick inside
 * a code span, so backticks become U+02CB, which reads the same and cannot close the span early.
 */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').replace(/`/g, '\u02cb');
  return `\`${escapeSlack(flat === '' ? ' ' : flat)}\``;
}

const MENTION = /^<(?:!here|!channel|!everyone|@[UW][A-Z0-9]{2,}|!subteam\^[A-Z0-9]{2,}(?:\|@?[\w.-]+)?)>$/;

/**
 * Parses the mention-on-failure input: one or more Slack mention tokens separated by spaces or commas.
 * This is the only raw Slack markup a message ever contains, so anything else is refused.
 */
export function parseMentions(raw: string, inputName = 'mention-on-failure'): string[] {
  const tokens = raw
    .split(/[\s,]+/)
    .map((token) => token.trim())
    .filter(Boolean);
  for (const token of tokens) {
    if (!MENTION.test(token)) {
      throw new InputError(
        inputName,
        `must be Slack mentions such as <!subteam^S0123ABCD>, <@U0123ABCD> or <!here>, got '${token.slice(0, 60)}'`,
        '<!subteam^S0123ABCD>',
      );
    }
  }
  if (tokens.join(' ').length > MAX_MENTIONS_LENGTH)
    throw new InputError(
      inputName,
      `is longer than ${MAX_MENTIONS_LENGTH} characters`,
      '<!subteam^S0123ABCD>',
    );
  return tokens;
}

/** Mentions share the title's section, so they get a small budget of their own. */
const MAX_MENTIONS_LENGTH = 500;
