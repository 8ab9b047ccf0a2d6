import type { CommitsApi } from '@recsys-actions/insights';
import type { ActionContext } from '@recsys-actions/runtime';
import { describeGitHubError } from '@recsys-actions/runtime/github-errors';
import { requireRepository } from '@recsys-actions/runtime/github';

/** Commit times from GitHub's git database, for commits a shallow checkout lacks; a missing commit is undefined. */
export function githubCommits(ctx: ActionContext<'deployment-report'>, token: string): CommitsApi {
  const client = ctx.github(token);
  const repository = requireRepository(ctx.run);
  return {
    async committedAt(sha) {
      try {
        const { data } = await (await client).rest.git.getCommit({ ...repository, commit_sha: sha });
        return data.committer.date;
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 404 || status === 422) return undefined;
        throw describeGitHubError(error, `read commit ${sha.slice(0, 12)}`, 'contents: read');
      }
    },
  };
}
