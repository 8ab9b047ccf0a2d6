import { GitHubApiError, notFound } from '../api-error';
import { paginate } from '../pagination';
import { commentsOn } from '../representations';
import type { IssueRecord, RepositoryState } from '../state';
import { createdResponse, listResponse, type OperationHandler, type OperationRequest } from '../operation';

type LabelInput = string | { name?: string };

export const issueHandlers: Record<string, OperationHandler> = {
  'issues/create': (request) => {
    const { body } = request;
    const issue = openIssue(request, () => ({
      labels: labelNames(request, body.labels as LabelInput[] | undefined) ?? [],
      assignees: assigneesOf(body) ?? [],
    }));
    return createdResponse(request.represent.issue(request.repository, issue));
  },

  'issues/get': (request) => ({
    status: 200,
    body: request.represent.issue(request.repository, findIssue(request)),
  }),

  'issues/update': (request) => {
    const issue = findIssue(request);
    const { body } = request;
    if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
    if (body.body !== undefined) issue.body = body.body as string | null;
    const labels = labelNames(request, body.labels as LabelInput[] | undefined);
    if (labels) issue.labels = labels;
    const assignees = assigneesOf(body);
    if (assignees) issue.assignees = assignees;
    if (body.state !== undefined)
      changeState(issue, body.state as IssueRecord['state'], body.state_reason, request);
    issue.updatedAt = request.state.now();
    return { status: 200, body: request.represent.issue(request.repository, issue) };
  },

  'issues/list-for-repo': (request) => {
    const { query, repository } = request;
    const wantedState = query.state ?? 'open';
    const wantedLabels = typeof query.labels === 'string' ? splitList(query.labels) : [];
    const since = query.since as string | undefined;
    const issues = [...repository.issues.values()]
      .filter((issue) => wantedState === 'all' || issue.state === wantedState)
      .filter((issue) => wantedLabels.every((name) => issue.labels.includes(name)))
      .filter((issue) => since === undefined || issue.updatedAt >= since)
      .sort(compareIssues(repository, query.sort, query.direction));
    return listResponse(
      paginate(
        issues.map((issue) => request.represent.issue(repository, issue)),
        query,
        request.url,
      ),
    );
  },
};

/**
 * Numbers, stores and returns a new open issue from the request's title and body; a pull request is one too.
 * `specific` runs once the issue has its id, so ids are handed out in GitHub's order (the issue's first).
 */
export function openIssue(request: OperationRequest, specific: () => Partial<IssueRecord>): IssueRecord {
  const { repository, body, state } = request;
  const now = state.now();
  repository.lastIssueNumber += 1;
  const issue: IssueRecord = {
    number: repository.lastIssueNumber,
    id: state.nextId(),
    title: String(body.title),
    body: (body.body as string | null | undefined) ?? null,
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: [],
    author: request.actor,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    ...specific(),
  };
  repository.issues.set(issue.number, issue);
  return issue;
}

/** A PR is an issue too, so comments and labels on pull requests go through these endpoints. */
export function findIssue(request: OperationRequest): IssueRecord {
  const issue = request.repository.issues.get(request.pathParams.issue_number as number);
  if (!issue) throw notFound();
  return issue;
}

function changeState(
  issue: IssueRecord,
  state: IssueRecord['state'],
  reason: unknown,
  request: OperationRequest,
): void {
  if (state === issue.state) return;
  if (state === 'closed') {
    if (reason === 'reopened') {
      throw new GitHubApiError(422, 'Validation Failed', [
        {
          resource: 'Issue',
          field: 'state_reason',
          code: 'invalid',
          message: "'reopened' cannot close an issue",
        },
      ]);
    }
    issue.stateReason = (reason as IssueRecord['stateReason'] | undefined) ?? 'completed';
    issue.closedAt = request.state.now();
  } else {
    issue.stateReason = 'reopened';
    issue.closedAt = null;
  }
  issue.state = state;
}

function labelNames(request: OperationRequest, labels: LabelInput[] | undefined): string[] | undefined {
  if (labels === undefined) return undefined;
  const names = labels.map((label) => (typeof label === 'string' ? label : (label.name ?? '')));
  for (const name of names) request.state.ensureLabel(request.repository, name);
  return [...new Set(names)];
}

function assigneesOf(body: Record<string, unknown>): string[] | undefined {
  const assignees = body.assignees as (string | { login?: string })[] | undefined;
  if (assignees)
    return assignees.map((assignee) => (typeof assignee === 'string' ? assignee : (assignee.login ?? '')));
  if (typeof body.assignee === 'string') return [body.assignee];
  if (body.assignee === null) return [];
  return undefined;
}

/** GitHub's `sort` (created by default) and `direction` (desc by default); ties fall back to the number. */
function compareIssues(repository: RepositoryState, sort: unknown, direction: unknown) {
  const sign = direction === 'asc' ? 1 : -1;
  const commentCount = (issue: IssueRecord) => commentsOn(repository, issue.number).length;
  const key = sort === 'updated' ? 'updatedAt' : 'createdAt';
  return (a: IssueRecord, b: IssueRecord): number => {
    const primary = sort === 'comments' ? commentCount(a) - commentCount(b) : a[key].localeCompare(b[key]);
    return sign * (primary || a.number - b.number);
  };
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
