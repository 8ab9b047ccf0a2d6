// The one module that loads Octokit (and its HTTP stack). Nothing imports it statically except tests and
// benches: the runtime imports it on first use, so the many runs that never call GitHub never load it.
import { getOctokit } from '@actions/github';
import { retryGitHubRequests, type GitHubRetryOptions } from './api-retry';
import type { RunContext } from './context';
import type { Octokit } from './github';

/**
 * An authenticated client for the API the run belongs to (GITHUB_API_URL, so GHES and the test emulator work).
 * Every request retries GitHub's blips and rate limits within a bounded wait (see api-retry.ts); `retry`
 * exists for tests, which shorten the clock; actions use the defaults.
 */
export function githubClient(token: string, context: RunContext, retry: GitHubRetryOptions = {}): Octokit {
  const octokit = getOctokit(token, { baseUrl: context.apiUrl });
  retryGitHubRequests(octokit, retry);
  return octokit;
}
