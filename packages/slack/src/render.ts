import { RENDER_BUDGET as B, SLACK_LIMITS as L } from './limits';
import { context, header, mrkdwn, section, type Block, type LinkButton, type SlackMessage } from './blocks';
import { escapeSlack } from './escape';
import { cutMrkdwn, cutPlain } from './truncate';

export interface Fact {
  label: string;
  /** Escaped mrkdwn. */
  value: string;
}

/** Where a message links to; the run is also where cut content points. */
export interface MessageLinks {
  run?: string;
  commit?: string;
  pullRequest?: string;
}

const LINK_LABELS: [keyof MessageLinks, string][] = [
  ['run', 'View run'],
  ['commit', 'Commit'],
  ['pullRequest', 'Pull request'],
];

/**
 * Everything a message says, before it is fitted into blocks. Fields documented as escaped mrkdwn are built by
 * the report and status renderers from escaped data; `title` and `text` are raw and escaped here.
 */
export interface MessageDraft {
  emoji: string;
  /** Our own wording (labels of actions, verdicts, statuses), never data: it goes into a plain_text header. */
  headline: string;
  title: string;
  text?: string;
  facts: Fact[];
  /** Escaped mrkdwn sections, in order: action-specific summary, checks, charts and tables, notes. */
  sections: string[];
  links: MessageLinks;
  /** Escaped mrkdwn context elements. */
  footer: string[];
  /** Validated mention tokens; only passed for failure-toned messages. */
  mentions: string[];
}

/** Turns a draft into blocks and fallback text that are within Slack's limits whatever the draft holds. */
export function renderDraft(draft: MessageDraft): SlackMessage {
  const buttons = LINK_LABELS.flatMap(([key, label]) => {
    const url = draft.links[key];
    return url && isUsableUrl(url) ? [{ url, label }] : [];
  });
  const runUrl = draft.links.run && isUsableUrl(draft.links.run) ? draft.links.run : undefined;
  const moreLink = runUrl ? { url: runUrl, label: 'see the run' } : undefined;
  const mentionPrefix = draft.mentions.length > 0 ? `${draft.mentions.join(' ')} ` : '';

  const blocks: Block[] = [header(cutPlain(`${draft.emoji} ${draft.headline}`, L.headerText))];
  const body = [`*${escapeSlack(draft.title)}*`, ...(draft.text ? [escapeSlack(draft.text)] : [])].join('\n');
  blocks.push(section(mentionPrefix + cutMrkdwn(body, B.title, moreLink)));
  if (draft.facts.length > 0) blocks.push(factsSection(draft.facts, moreLink));
  for (const text of draft.sections) blocks.push(section(cutMrkdwn(text, L.sectionText, moreLink)));
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons.map(linkButton) });
  if (draft.footer.length > 0)
    blocks.push(
      context(draft.footer.slice(0, L.contextElements).map((text) => cutMrkdwn(text, B.footerElement))),
    );
  return { text: fallbackText(draft, mentionPrefix), blocks };
}

function factsSection(facts: Fact[], more: { url: string; label: string } | undefined): Block {
  const shown = facts.length > L.sectionFields ? facts.slice(0, L.sectionFields - 1) : facts;
  const fields = shown.map((fact) =>
    mrkdwn(cutMrkdwn(`*${escapeSlack(fact.label)}*\n${fact.value}`, B.field)),
  );
  if (shown.length < facts.length) {
    const hidden = facts.length - shown.length;
    const where = more ? ` <${more.url}|${more.label}>` : '';
    fields.push(mrkdwn(`…and ${hidden} more${where}`));
  }
  return { type: 'section', fields };
}

function linkButton(link: { url: string; label: string }, index: number): LinkButton {
  return {
    type: 'button',
    text: { type: 'plain_text', text: cutPlain(link.label, L.buttonText) },
    url: link.url,
    action_id: `link-${index}`,
  };
}

function fallbackText(draft: MessageDraft, mentionPrefix: string): string {
  const text = `${draft.headline} — ${draft.title}`.replace(/\s+/g, ' ');
  return mentionPrefix + cutMrkdwn(escapeSlack(text), B.fallbackText - mentionPrefix.length);
}

function isUsableUrl(url: string): boolean {
  if (url.length > B.linkUrl || !/^https?:\/\//i.test(url)) return false;
  try {
    new URL(url);
  } catch {
    return false;
  }
  // A URL lands inside `<url|label>` markup when content is cut, where these would end or split the link.
  return !/[\s<>|]/.test(url);
}
