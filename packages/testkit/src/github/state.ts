import { createHash } from 'node:crypto';

/** What the emulator remembers; the JSON GitHub would send is built from these in representations.ts. */
export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  author: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Present when the issue is a pull request: GitHub numbers both from one sequence. */
  pullRequest?: PullRequestRecord;
}

export interface PullRequestRecord {
  id: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  draft: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  /** Follows the environment of the latest status that named one; `originalEnvironment` never changes. */
  environment: string;
  originalEnvironment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  /** Recorded as sent; the emulator neither merges branches nor checks commit statuses. */
  autoMerge: boolean;
  requiredContexts: string[] | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
  /** Oldest first. */
  statuses: DeploymentStatusRecord[];
}

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentStatusRecord {
  id: number;
  state: DeploymentState;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
  createdAt: string;
}

export interface DispatchRecord {
  eventType: string;
  clientPayload: Record<string, unknown> | null;
  receivedAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
}

/** A commit in the repository's git database, seeded by tests (the emulator keeps no trees or blobs). */
export interface CommitRecord {
  sha: string;
  message: string;
  /** Committer (and author) date, ISO 8601. */
  committedAt: string;
  parents: string[];
}

export interface RepositoryState {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  issues: Map<number, IssueRecord>;
  comments: Map<number, CommentRecord>;
  labels: Map<string, LabelRecord>;
  deployments: DeploymentRecord[];
  dispatches: DispatchRecord[];
  /** Branch or tag name → commit SHA, seeded by tests or by pull requests' head refs. */
  refs: Map<string, string>;
  /** Commits by SHA, for `git/get-commit`. */
  commits: Map<string, CommitRecord>;
  lastIssueNumber: number;
}

/** All repositories of one emulator, plus the counters GitHub keeps globally (ids are unique across repos). */
export class EmulatorState {
  private readonly repositories = new Map<string, RepositoryState>();
  private readonly userIds = new Map<string, number>();
  private lastId = 1000;

  constructor(private readonly clock: () => Date) {}

  /** Repositories exist on first use, so a test never has to create the repository its action runs in. */
  repository(owner: string, name: string): RepositoryState {
    const fullName = `${owner}/${name}`;
    let repository = this.repositories.get(fullName.toLowerCase());
    if (!repository) {
      repository = {
        id: this.nextId(),
        owner,
        name,
        fullName,
        issues: new Map(),
        comments: new Map(),
        labels: new Map(),
        deployments: [],
        dispatches: [],
        refs: new Map(),
        commits: new Map(),
        lastIssueNumber: 0,
      };
      this.repositories.set(fullName.toLowerCase(), repository);
    }
    return repository;
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  userId(login: string): number {
    let id = this.userIds.get(login);
    if (id === undefined) {
      id = this.nextId();
      this.userIds.set(login, id);
    }
    return id;
  }

  /**
   * GitHub creates a label an issue names if the repository lacks it, with a generated colour; deriving the
   * colour from the name keeps responses reproducible.
   */
  ensureLabel(repository: RepositoryState, name: string): void {
    if (repository.labels.has(name)) return;
    const color = createHash('sha1').update(name).digest('hex').slice(0, 6);
    repository.labels.set(name, { id: this.nextId(), name, color });
  }

  /** GitHub's timestamps have whole seconds. */
  now(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
}

/**
 * The commit a ref points at. Refs nobody seeded get a stable made-up SHA, so tests can deploy `main` without
 * modelling git; a full 40-hex SHA stands for itself, as on GitHub.
 */
export function resolveRef(repository: RepositoryState, ref: string): string {
  if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
  const name = ref.replace(/^refs\/(heads|tags)\//, '');
  return (
    repository.refs.get(name) ?? createHash('sha1').update(`${repository.fullName}:${name}`).digest('hex')
  );
}
