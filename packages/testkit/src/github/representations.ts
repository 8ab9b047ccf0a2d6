import type {
  CommitRecord,
  CommentRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  EmulatorState,
  IssueRecord,
  LabelRecord,
  RepositoryState,
} from './state';

const WEB = 'https://github.com';

/** Builds the JSON GitHub sends for each resource, with URLs that point back at the emulator. */
export class Representations {
  constructor(
    private readonly apiUrl: string,
    private readonly state: EmulatorState,
  ) {}

  user(login: string) {
    // GitHub percent-encodes logins in URLs (`github-actions%5Bbot%5D`); raw brackets are not valid URIs.
    const url = `${this.apiUrl}/users/${encodeURIComponent(login)}`;
    const id = this.state.userId(login);
    return {
      login,
      id,
      node_id: nodeId('U', id),
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url,
      html_url: `${WEB}/${encodeURIComponent(login)}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: login.endsWith('[bot]') ? 'Bot' : 'User',
      site_admin: false,
    };
  }

  repository(repository: RepositoryState) {
    const url = this.repositoryUrl(repository);
    const html = `${WEB}/${repository.fullName}`;
    return {
      id: repository.id,
      node_id: nodeId('R', repository.id),
      name: repository.name,
      full_name: repository.fullName,
      owner: this.user(repository.owner),
      private: false,
      html_url: html,
      description: null,
      fork: false,
      url,
      ...this.repositoryLinks(url, repository.fullName),
      clone_url: `${html}.git`,
      mirror_url: null,
      hooks_url: `${url}/hooks`,
      svn_url: html,
      homepage: null,
      language: null,
      license: null,
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers: 0,
      watchers_count: 0,
      size: 0,
      default_branch: 'main',
      open_issues: countOpenIssues(repository),
      open_issues_count: countOpenIssues(repository),
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      archived: false,
      disabled: false,
      pushed_at: null,
      created_at: null,
      updated_at: null,
    };
  }

  /** The hypermedia links a repository carries, all templated on its API URL. */
  private repositoryLinks(url: string, fullName: string) {
    return {
      archive_url: `${url}/{archive_format}{/ref}`,
      assignees_url: `${url}/assignees{/user}`,
      blobs_url: `${url}/git/blobs{/sha}`,
      branches_url: `${url}/branches{/branch}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      comments_url: `${url}/comments{/number}`,
      commits_url: `${url}/commits{/sha}`,
      compare_url: `${url}/compare/{base}...{head}`,
      contents_url: `${url}/contents/{+path}`,
      contributors_url: `${url}/contributors`,
      deployments_url: `${url}/deployments`,
      downloads_url: `${url}/downloads`,
      events_url: `${url}/events`,
      forks_url: `${url}/forks`,
      git_commits_url: `${url}/git/commits{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_url: `git://github.com/${fullName}.git`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      issue_events_url: `${url}/issues/events{/number}`,
      issues_url: `${url}/issues{/number}`,
      keys_url: `${url}/keys{/key_id}`,
      labels_url: `${url}/labels{/name}`,
      languages_url: `${url}/languages`,
      merges_url: `${url}/merges`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      pulls_url: `${url}/pulls{/number}`,
      releases_url: `${url}/releases{/id}`,
      ssh_url: `git@github.com:${fullName}.git`,
      stargazers_url: `${url}/stargazers`,
      statuses_url: `${url}/statuses/{sha}`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      tags_url: `${url}/tags`,
      teams_url: `${url}/teams`,
      trees_url: `${url}/git/trees{/sha}`,
    };
  }

  label(repository: RepositoryState, label: LabelRecord) {
    return {
      id: label.id,
      node_id: nodeId('LA', label.id),
      url: `${this.repositoryUrl(repository)}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      description: '',
      color: label.color,
      default: false,
    };
  }

  issue(repository: RepositoryState, issue: IssueRecord) {
    const repositoryUrl = this.repositoryUrl(repository);
    const url = `${repositoryUrl}/issues/${issue.number}`;
    const pullRequest = issue.pullRequest;
    const assignees = issue.assignees.map((login) => this.user(login));
    return {
      id: issue.id,
      node_id: nodeId(pullRequest ? 'PR' : 'I', issue.id),
      url,
      repository_url: repositoryUrl,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${WEB}/${repository.fullName}/${pullRequest ? 'pull' : 'issues'}/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: this.user(issue.author),
      labels: this.labelsOf(repository, issue),
      assignee: assignees[0] ?? null,
      assignees,
      milestone: null,
      locked: false,
      comments: commentsOn(repository, issue.number).length,
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      author_association: 'NONE',
      ...(pullRequest && {
        pull_request: {
          url: `${repositoryUrl}/pulls/${issue.number}`,
          html_url: `${WEB}/${repository.fullName}/pull/${issue.number}`,
          diff_url: `${WEB}/${repository.fullName}/pull/${issue.number}.diff`,
          patch_url: `${WEB}/${repository.fullName}/pull/${issue.number}.patch`,
          merged_at: pullRequest.mergedAt,
        },
      }),
    };
  }

  /** The `pull-request-simple` shape that list endpoints, such as pulls of a commit, return. */
  pullRequest(repository: RepositoryState, issue: IssueRecord) {
    const pullRequest = issue.pullRequest;
    if (!pullRequest) throw new Error(`#${issue.number} is an issue, not a pull request`);
    const repositoryUrl = this.repositoryUrl(repository);
    const url = `${repositoryUrl}/pulls/${issue.number}`;
    const html = `${WEB}/${repository.fullName}/pull/${issue.number}`;
    const issueUrl = `${repositoryUrl}/issues/${issue.number}`;
    const branch = (ref: string, sha: string) => ({
      label: `${repository.owner}:${ref}`,
      ref,
      sha,
      repo: this.repository(repository),
      user: this.user(repository.owner),
    });
    return {
      url,
      id: pullRequest.id,
      node_id: nodeId('PR', pullRequest.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${repositoryUrl}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${repositoryUrl}/statuses/${pullRequest.headSha}`,
      number: issue.number,
      state: issue.state,
      locked: false,
      title: issue.title,
      user: this.user(issue.author),
      body: issue.body,
      labels: this.labelsOf(repository, issue),
      milestone: null,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      merged_at: pullRequest.mergedAt,
      merge_commit_sha: pullRequest.mergeCommitSha,
      assignee: issue.assignees[0] === undefined ? null : this.user(issue.assignees[0]),
      draft: pullRequest.draft,
      head: branch(pullRequest.headRef, pullRequest.headSha),
      base: branch(pullRequest.baseRef, repository.refs.get(pullRequest.baseRef) ?? pullRequest.headSha),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${repositoryUrl}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${repositoryUrl}/statuses/${pullRequest.headSha}` },
      },
      author_association: 'NONE',
      auto_merge: null,
    };
  }

  /** The full `pull-request` shape of get, create and update: the simple one and its merge and diff counts. */
  fullPullRequest(repository: RepositoryState, issue: IssueRecord) {
    const simple = this.pullRequest(repository, issue);
    return {
      ...simple,
      merged: simple.merged_at !== null,
      mergeable: null,
      mergeable_state: 'unknown',
      merged_by: null,
      comments: commentsOn(repository, issue.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      // The emulator keeps no git objects, so a pull request's diff is empty.
      commits: 0,
      additions: 0,
      deletions: 0,
      changed_files: 0,
    };
  }

  comment(repository: RepositoryState, comment: CommentRecord) {
    const repositoryUrl = this.repositoryUrl(repository);
    return {
      id: comment.id,
      node_id: nodeId('IC', comment.id),
      url: `${repositoryUrl}/issues/comments/${comment.id}`,
      html_url: `${WEB}/${repository.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${repositoryUrl}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: this.user(comment.author),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: 'NONE',
    };
  }

  gitCommit(repository: RepositoryState, commit: CommitRecord) {
    const base = `${this.apiUrl}/repos/${repository.fullName}/git/commits`;
    const web = `${WEB}/${repository.fullName}/commit`;
    const person = { name: 'recsys-test', email: 'test@example.invalid', date: commit.committedAt };
    return {
      sha: commit.sha,
      node_id: nodeId('C', parseInt(commit.sha.slice(0, 8), 16)),
      url: `${base}/${commit.sha}`,
      html_url: `${web}/${commit.sha}`,
      author: person,
      committer: person,
      tree: {
        sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
        url: `${this.apiUrl}/repos/${repository.fullName}/git/trees/4b825dc642cb6eb9a060e54bf8d69288fbee4904`,
      },
      message: commit.message,
      parents: commit.parents.map((sha) => ({ sha, url: `${base}/${sha}`, html_url: `${web}/${sha}` })),
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    };
  }

  deployment(repository: RepositoryState, deployment: DeploymentRecord) {
    const repositoryUrl = this.repositoryUrl(repository);
    const url = `${repositoryUrl}/deployments/${deployment.id}`;
    return {
      url,
      id: deployment.id,
      node_id: nodeId('DE', deployment.id),
      sha: deployment.sha,
      ref: deployment.ref,
      task: deployment.task,
      payload: deployment.payload,
      original_environment: deployment.originalEnvironment,
      environment: deployment.environment,
      description: deployment.description,
      creator: this.user(deployment.creator),
      created_at: deployment.createdAt,
      updated_at: deployment.updatedAt,
      statuses_url: `${url}/statuses`,
      repository_url: repositoryUrl,
      transient_environment: deployment.transientEnvironment,
      production_environment: deployment.productionEnvironment,
    };
  }

  deploymentStatus(
    repository: RepositoryState,
    deployment: DeploymentRecord,
    status: DeploymentStatusRecord,
  ) {
    const repositoryUrl = this.repositoryUrl(repository);
    const deploymentUrl = `${repositoryUrl}/deployments/${deployment.id}`;
    return {
      url: `${deploymentUrl}/statuses/${status.id}`,
      id: status.id,
      node_id: nodeId('DES', status.id),
      state: status.state,
      creator: this.user(status.creator),
      description: status.description,
      environment: status.environment,
      target_url: status.targetUrl,
      log_url: status.logUrl,
      environment_url: status.environmentUrl,
      created_at: status.createdAt,
      updated_at: status.createdAt,
      deployment_url: deploymentUrl,
      repository_url: repositoryUrl,
    };
  }

  private labelsOf(repository: RepositoryState, issue: IssueRecord) {
    return issue.labels.flatMap((name) => {
      const label = repository.labels.get(name);
      return label ? [this.label(repository, label)] : [];
    });
  }

  private repositoryUrl(repository: RepositoryState): string {
    return `${this.apiUrl}/repos/${repository.fullName}`;
  }
}

export function commentsOn(repository: RepositoryState, issueNumber: number): CommentRecord[] {
  return [...repository.comments.values()].filter((comment) => comment.issueNumber === issueNumber);
}

function countOpenIssues(repository: RepositoryState): number {
  return [...repository.issues.values()].filter((issue) => issue.state === 'open').length;
}

/** Opaque like GitHub's global node ids, and stable for a given record. */
function nodeId(prefix: string, id: number): string {
  return `${prefix}_kw${Buffer.from(String(id)).toString('base64url')}`;
}
