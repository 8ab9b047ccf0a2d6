import { commentWanted, PULL_REQUEST_EVENTS } from '@recsys-actions/core';
import type { CanaryGateInputs } from './inputs';

/** Events whose pull requests `comment: auto` speaks to: the PR itself, or the open PRs of the pushed commit. */
const AUTO_COMMENT_EVENTS = [...PULL_REQUEST_EVENTS, 'push', 'workflow_dispatch'];

export function commentOption(inputs: CanaryGateInputs, eventName: string | undefined) {
  if (!commentWanted(inputs.comment, eventName, AUTO_COMMENT_EVENTS)) return undefined;
  return {
    token: inputs.token ?? '',
    // One comment per environment, so that a staging and a production gate on one PR do not overwrite each other.
    key: `canary-gate:${inputs.environment}`,
    includeAssociatedPullRequests: true,
  };
}
