// Adapters from Octokit to the ports the packages define. Octokit itself is only a type here: the client is
// made in github-client.ts, which the runtime loads on first use.
import type { getOctokit } from '@actions/github';
import type { IssueCommentsApi } from '@recsys-actions/core';
import type { PullsApi } from './git-push';
import type { RunContext } from './context';

export type Octokit = ReturnType<typeof getOctokit>;

export function requireRepository(context: RunContext): { owner: string; repo: string } {
  if (!context.owner || !context.repo) throw new Error('GITHUB_REPOSITORY is not set');
  return { owner: context.owner, repo: context.repo };
}

export function issueCommentsApi(octokit: Octokit, context: RunContext): IssueCommentsApi {
  const repository = requireRepository(context);
  return {
    list: (issueNumber) =>
      octokit.paginate(octokit.rest.issues.listComments, {
        ...repository,
        issue_number: issueNumber,
        per_page: 100,
      }),
    create: async (issueNumber, body) =>
      (await octokit.rest.issues.createComment({ ...repository, issue_number: issueNumber, body })).data,
    update: async (commentId, body) =>
      (await octokit.rest.issues.updateComment({ ...repository, comment_id: commentId, body })).data,
  };
}

/**
 * The pull requests a run speaks to: the event's own PR, or on a push or dispatch the open PRs whose head is
 * the commit being run.
 */
export async function pullRequestsForRun(octokit: Octokit, context: RunContext): Promise<number[]> {
  if (context.pullRequest) return [context.pullRequest.number];
  if (!context.sha) return [];
  const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    ...requireRepository(context),
    commit_sha: context.sha,
  });
  return pulls.data.filter((pull) => pull.state === 'open').map((pull) => pull.number);
}

/** The pulls operations of `push: pr`. */
export function pullsApi(octokit: Octokit): PullsApi {
  return {
    listOpen: async (owner, repo, head) =>
      (await octokit.rest.pulls.list({ owner, repo, head, state: 'open', per_page: 1 })).data,
    create: async ({ owner, repo, head, base, title, body }) =>
      (await octokit.rest.pulls.create({ owner, repo, head, base, title, body })).data,
    update: (owner, repo, number, title, body) =>
      octokit.rest.pulls.update({ owner, repo, pull_number: number, title, body }),
  };
}
