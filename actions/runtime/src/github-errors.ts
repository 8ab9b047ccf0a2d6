import { UserFacingError } from '@recsys-actions/core';
import {
  duration,
  GitHubRateLimitedError,
  GitHubTimeoutError,
  isHttpError,
  isoSeconds,
  messageOf,
  rootCause,
  type HttpError,
} from './api-retry';

/**
 * Turns a failed call through {@link githubClient} into one sentence a workflow author can act on. `what` is
 * what the call was for, as a verb phrase ("create a deployment"); `permission` the workflow permission it
 * needs ("deployments: write"), named when GitHub refuses. Retries have already happened by the time a call
 * fails, so the advice is to change the workflow or re-run later. Errors that did not come from the GitHub
 * client (a bug) are returned unchanged. Nothing here reads request headers, so the token cannot leak.
 */
export function describeGitHubError(error: unknown, what: string, permission?: string): Error {
  if (error instanceof GitHubRateLimitedError) {
    return new UserFacingError(
      `GitHub rate-limited the request to ${what} (${error.request}), so it was not done: re-run the job after ${isoSeconds(error.retryAt)}.`,
    );
  }
  if (error instanceof GitHubTimeoutError) {
    return new UserFacingError(
      `GitHub did not answer the request to ${what} within ${duration(error.timeoutMs)}, also when retried.${maybeDone(error.method)} Re-run the job later.`,
    );
  }
  if (!isHttpError(error)) return error instanceof Error ? error : new Error(String(error));
  if (!error.response) {
    return new UserFacingError(
      `Could not reach GitHub to ${what} (${rootCause(error)}), also when retried. Re-run the job later.`,
    );
  }
  return answeredError(error, what, permission);
}

function answeredError(error: HttpError, what: string, permission: string | undefined): UserFacingError {
  const answer = `${error.status} ${messageOf(error.response?.data) ?? error.message}`;
  const needs = permission ? `the token needs \`permissions: ${permission}\` in the workflow` : undefined;
  if (error.status === 401) {
    return new UserFacingError(
      `GitHub rejected the token when asked to ${what} (${answer}): pass a valid, unexpired token. Nothing was changed.`,
    );
  }
  if (error.status === 403) {
    return new UserFacingError(
      `GitHub refused to ${what} (${answer}): ${needs ?? 'the token lacks the permission for it'}. Nothing was changed.`,
    );
  }
  if (error.status === 404) {
    const hint = needs ? `, or ${needs} to see it` : '';
    return new UserFacingError(
      `GitHub could not ${what} (${answer}): the repository or resource does not exist${hint}. Nothing was changed.`,
    );
  }
  if (error.status >= 500) {
    return new UserFacingError(
      `GitHub failed to ${what} (${answer}), also when retried.${maybeDone(error.request?.method)} Re-run the job later.`,
    );
  }
  return new UserFacingError(`GitHub refused to ${what} (${answer}). Nothing was changed.`);
}

/** A write GitHub failed to answer may still have been done; a read changed nothing either way. */
function maybeDone(method: string | undefined): string {
  return method === undefined || method === 'GET' || method === 'HEAD'
    ? ''
    : ' GitHub may have done it anyway.';
}
