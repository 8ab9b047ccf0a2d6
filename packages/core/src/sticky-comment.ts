import { hiddenMarker } from './marker';

/** The few issue-comment calls the sticky comment needs; the action runtime adapts Octokit to it. */
export interface IssueCommentsApi {
  list(issueNumber: number): Promise<{ id: number; body?: string | null }[]>;
  create(issueNumber: number, body: string): Promise<{ id: number }>;
  update(commentId: number, body: string): Promise<{ id: number }>;
}

/**
 * The hidden comment that identifies the one comment a given action keeps on a PR. The key's `:`-separated
 * parts (`canary-gate:production`) become the marker's parts.
 */
export function stickyMarker(key: string): string {
  return hiddenMarker(...key.split(':'));
}

/** The events whose run belongs to one pull request, which `comment: auto` speaks to by default. */
export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

/**
 * Whether a run should keep a PR comment: the `comment` input is `true`, `false`, or `auto` (comment on
 * `autoEvents`, the pull-request events unless an action also finds the PRs of pushed commits).
 */
export function commentWanted(
  setting: 'auto' | 'true' | 'false',
  eventName: string | undefined,
  autoEvents: readonly string[] = PULL_REQUEST_EVENTS,
): boolean {
  return setting === 'true' || (setting === 'auto' && autoEvents.includes(eventName ?? ''));
}

export interface UpsertResult {
  commentId: number;
  created: boolean;
}

/**
 * Keeps exactly one comment per marker on an issue or PR: updates the first comment carrying the marker,
 * or creates it when there is none, so repeated runs never pile up comments.
 */
export async function upsertStickyComment(
  api: IssueCommentsApi,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<UpsertResult> {
  const fullBody = `${marker}\n${body}`;
  const existing = (await api.list(issueNumber)).find((comment) => comment.body?.includes(marker));
  if (existing) {
    await api.update(existing.id, fullBody);
    return { commentId: existing.id, created: false };
  }
  const created = await api.create(issueNumber, fullBody);
  return { commentId: created.id, created: true };
}
