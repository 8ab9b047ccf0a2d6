import { GitHubApiError, notFound } from '../api-error';
import { paginate } from '../pagination';
import { resolveRef, type IssueRecord } from '../state';
import { openIssue } from './issues';
import { createdResponse, listResponse, type OperationHandler, type OperationRequest } from '../operation';

/** Open, list and edit pull requests; they are issues with pull-request data, as on GitHub. */
export const pullHandlers: Record<string, OperationHandler> = {
  /** `state` (default open), `head` as `owner:branch`, `base`; newest first. */
  'pulls/list': (request) => {
    const state = (request.query.state as string | undefined) ?? 'open';
    const head = request.query.head as string | undefined;
    const base = request.query.base as string | undefined;
    const pulls = pullsOf(request)
      .filter((issue) => state === 'all' || issue.state === state)
      .filter(
        (issue) => head === undefined || `${request.repository.owner}:${issue.pullRequest?.headRef}` === head,
      )
      .filter((issue) => base === undefined || issue.pullRequest?.baseRef === base)
      .sort((a, b) => b.number - a.number)
      .map((issue) => request.represent.pullRequest(request.repository, issue));
    return listResponse(paginate(pulls, request.query, request.url));
  },

  /** GitHub refuses a second open pull request between the same branches with a 422. */
  'pulls/create': (request) => {
    const { repository, body, state } = request;
    const head = String(body.head).replace(/^[^:]+:/, '');
    const base = String(body.base);
    if (
      pullsOf(request).some(
        (pull) =>
          pull.state === 'open' && pull.pullRequest?.headRef === head && pull.pullRequest.baseRef === base,
      )
    ) {
      throw new GitHubApiError(422, 'Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${repository.owner}:${head}.`,
        },
      ]);
    }
    const pull = openIssue(request, () => ({
      pullRequest: {
        id: state.nextId(),
        headSha: resolveRef(repository, head),
        headRef: head,
        baseRef: base,
        draft: body.draft === true,
        mergedAt: null,
        mergeCommitSha: null,
      },
    }));
    return createdResponse(request.represent.fullPullRequest(repository, pull));
  },

  'pulls/get': (request) => ({
    status: 200,
    body: request.represent.fullPullRequest(request.repository, findPull(request)),
  }),

  'pulls/update': (request) => {
    const pull = findPull(request);
    const { body } = request;
    if (typeof body.title === 'string') pull.title = body.title;
    if (body.body !== undefined) pull.body = (body.body as string | null) ?? null;
    if (typeof body.base === 'string' && pull.pullRequest) pull.pullRequest.baseRef = body.base;
    if (body.state === 'open' || body.state === 'closed') {
      pull.closedAt = body.state === 'closed' ? request.state.now() : null;
      pull.state = body.state;
    }
    pull.updatedAt = request.state.now();
    return { status: 200, body: request.represent.fullPullRequest(request.repository, pull) };
  },
};

function pullsOf(request: OperationRequest): IssueRecord[] {
  return [...request.repository.issues.values()].filter((issue) => issue.pullRequest);
}

function findPull(request: OperationRequest): IssueRecord {
  const pull = request.repository.issues.get(request.pathParams.pull_number as number);
  if (!pull?.pullRequest) throw notFound();
  return pull;
}
