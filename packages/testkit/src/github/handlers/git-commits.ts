import { notFound } from '../api-error';
import type { OperationHandler } from '../operation';

export const gitCommitHandlers: Record<string, OperationHandler> = {
  /** A commit seeded with addCommit; GitHub answers 404 for a SHA the repository does not hold. */
  'git/get-commit': (request) => {
    const commit = request.repository.commits.get(String(request.pathParams.commit_sha).toLowerCase());
    if (!commit) throw notFound();
    return { status: 200, body: request.represent.gitCommit(request.repository, commit) };
  },
};
