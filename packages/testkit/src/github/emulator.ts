import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson, readBody, send } from './http-io';
import { seedPullRequest, type PullRequestSeed } from './seeds';
import { errorBody, GitHubApiError, type ErrorDetail } from './api-error';
import { commitPullHandlers } from './handlers/commit-pulls';
import { gitCommitHandlers } from './handlers/git-commits';
import { pullHandlers } from './handlers/pulls';
import { deploymentHandlers } from './handlers/deployments';
import { dispatchHandlers } from './handlers/dispatches';
import { issueCommentHandlers } from './handlers/issue-comments';
import { issueHandlers } from './handlers/issues';
import { findOperation, type MatchedOperation } from './openapi';
import type { OperationHandler, OperationResponse } from './operation';
import { commentsOn, Representations } from './representations';
import { SpecValidator, type Violation } from './spec-validator';
import {
  EmulatorState,
  type CommentRecord,
  type DeploymentRecord,
  type DispatchRecord,
  type IssueRecord,
  type RepositoryState,
} from './state';

export type { PullRequestSeed } from './seeds';

const HANDLERS: Record<string, OperationHandler> = {
  ...issueHandlers,
  ...issueCommentHandlers,
  ...deploymentHandlers,
  ...dispatchHandlers,
  ...commitPullHandlers,
  ...gitCommitHandlers,
  ...pullHandlers,
};

export interface GitHubEmulatorOptions {
  /** `owner/name` the state accessors read when not given one; the runner emulation's default. */
  repository?: string;
  /** Login of the token's user: the author of everything created through the API. */
  actor?: string;
  /** Checks every emulated response against GitHub's description (default true); a drift answers 500. */
  validateResponses?: boolean;
  /** Source of timestamps, for tests that compare them. */
  now?: () => Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  /** 0 while unanswered: a hung request, or one still being delayed. */
  status: number;
  operationId?: string;
  /** The injected fault that hit the request, if one did. */
  injected?: InjectedFaultKind;
}

export type RejectionReason =
  'unauthenticated' | 'unknown-route' | 'not-emulated' | 'invalid-json' | 'invalid-request';

/** A request the emulator refused because the client, not the state, was wrong. */
export interface RejectedRequest {
  method: string;
  path: string;
  status: number;
  reason: RejectionReason;
  message: string;
  violations: Violation[];
  operationId?: string;
}

/** Something that is the emulator's own fault: a handler crashed or a response strayed from the description. */
export interface EmulatorFault {
  method: string;
  path: string;
  operationId: string;
  message: string;
  violations: Violation[];
}

/**
 * Limits an injected fault to one route, written as GitHub's description names it, e.g.
 * `POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses`; without it the next requests are hit.
 */
export interface FaultTarget {
  on?: string;
}

export interface InjectedFailure extends FaultTarget {
  message?: string;
  headers?: Record<string, string>;
}

export interface InjectedRateLimit extends FaultTarget {
  /** `secondary`: GitHub's abuse limit, whose quota is not used up (default `primary`). */
  limit?: 'primary' | 'secondary';
  /** Sends `retry-after`; GitHub sends it on most secondary limits and not on primary ones. */
  retryAfterSeconds?: number;
  /** When the quota refills, in `x-ratelimit-reset` (default an hour from now). */
  resetInSeconds?: number;
  /** GitHub answers 403, and 429 on some secondary limits (default 403). */
  status?: 403 | 429;
}

export interface InjectedHang extends FaultTarget {
  /** Answer normally after this long (the operation runs then); without it, never answer until `close()`. */
  delayMs?: number;
}

export interface InjectedFailAfterActing extends FaultTarget {
  /** Default 500. */
  status?: number;
}

export type InjectedFaultKind = 'failure' | 'rate-limit' | 'hang' | 'delay' | 'fail-after-acting';

type InjectedFault =
  | { kind: 'failure' | 'rate-limit'; reply: OperationResponse }
  | { kind: 'hang' }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'fail-after-acting'; status: number };

type Reject = (
  status: number,
  reason: RejectionReason,
  message: string,
  violations?: Violation[],
) => OperationResponse;

interface QueuedFault {
  route?: { method: string; template: string };
  fault: InjectedFault;
}

let sharedValidator: SpecValidator | undefined;

/** One validator for every emulator in the process: the description is parsed and registered once. */
function specValidator(): SpecValidator {
  sharedValidator ??= new SpecValidator();
  return sharedValidator;
}

/** Starts an emulator on 127.0.0.1 at a free port. */
export async function startGitHubEmulator(options: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  const emulator = new GitHubEmulator(options);
  await emulator.listen();
  return emulator;
}

/**
 * A GitHub REST API on localhost holding its state in memory, for end-to-end tests of actions (point
 * GITHUB_API_URL at `url`). Every request is checked against GitHub's OpenAPI description before it reaches
 * the emulated operation; see README.md beside this file.
 */
export class GitHubEmulator {
  readonly requests: RecordedRequest[] = [];
  readonly rejected: RejectedRequest[] = [];
  readonly faults: EmulatorFault[] = [];

  private readonly server: Server;
  private readonly state: EmulatorState;
  private readonly validateResponses: boolean;
  private readonly defaultRepository: string;
  private readonly actor: string;
  private readonly injectedFaults: QueuedFault[] = [];
  private readonly delays = new Set<NodeJS.Timeout>();
  private readonly now: () => Date;
  private baseUrl = '';
  private represent: Representations | undefined;

  constructor(options: GitHubEmulatorOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.state = new EmulatorState(this.now);
    this.validateResponses = options.validateResponses ?? true;
    this.defaultRepository = options.repository ?? 'octo-org/recsys';
    this.actor = options.actor ?? 'github-actions[bot]';
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** The API root, e.g. `http://127.0.0.1:40123`, for GITHUB_API_URL or Octokit's `baseUrl`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('the GitHub emulator is not listening yet; use startGitHubEmulator()');
    return this.baseUrl;
  }

  async listen(): Promise<void> {
    specValidator();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.represent = new Representations(this.baseUrl, this.state);
  }

  async close(): Promise<void> {
    for (const delay of this.delays) clearTimeout(delay);
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  /** Answers the next `count` requests with `status` (after the auth and route checks), e.g. for retry tests. */
  failNext(count: number, status: number, failure: InjectedFailure = {}): void {
    const message = failure.message ?? STATUS_CODES[status] ?? 'Injected failure';
    const reply = { status, body: errorBody(status, message), headers: failure.headers };
    this.inject(count, failure, { kind: 'failure', reply });
  }

  /** Refuses the next `count` requests the way GitHub does when a rate limit is hit, body and headers alike. */
  rateLimitNext(count: number, rateLimit: InjectedRateLimit = {}): void {
    const reset = Math.floor(this.now().getTime() / 1000) + (rateLimit.resetInSeconds ?? 3600);
    this.inject(count, rateLimit, { kind: 'rate-limit', reply: rateLimitReply(rateLimit, reset) });
  }

  /** Accepts the next `count` requests and never answers them (or answers late, with `delayMs`). */
  hangNext(count: number, hang: InjectedHang = {}): void {
    const fault: InjectedFault =
      hang.delayMs === undefined ? { kind: 'hang' } : { kind: 'delay', delayMs: hang.delayMs };
    this.inject(count, hang, fault);
  }

  /**
   * Performs the next `count` requests, then answers them with a 5xx: the write happened but the client saw
   * an error, as when GitHub times out after committing.
   */
  failAfterActingNext(count: number, failure: InjectedFailAfterActing = {}): void {
    this.inject(count, failure, { kind: 'fail-after-acting', status: failure.status ?? 500 });
  }

  private inject(count: number, target: FaultTarget, fault: InjectedFault): void {
    const route = target.on === undefined ? undefined : documentedRoute(target.on);
    for (let index = 0; index < count; index += 1) this.injectedFaults.push({ route, fault });
  }

  /** The first queued fault for this request: one aimed at its route, or one aimed at any request. */
  private takeFault(method: string, template: string): InjectedFault | undefined {
    const index = this.injectedFaults.findIndex(
      ({ route }) => !route || (route.method === method && route.template === template),
    );
    return index < 0 ? undefined : this.injectedFaults.splice(index, 1)[0]?.fault;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const delay = setTimeout(() => {
        this.delays.delete(delay);
        resolve();
      }, ms);
      this.delays.add(delay);
    });
  }

  /** Makes a branch or tag point at a commit, for deployments of that ref. */
  setRef(ref: string, sha: string, repository = this.defaultRepository): void {
    this.repositoryState(repository).refs.set(ref, sha.toLowerCase());
  }

  /** Seeds a commit of the git database, read by `GET /repos/{owner}/{repo}/git/commits/{commit_sha}`. */
  addCommit(
    commit: { sha: string; committedAt: string; message?: string; parents?: string[] },
    repository = this.defaultRepository,
  ): void {
    const sha = commit.sha.toLowerCase();
    this.repositoryState(repository).commits.set(sha, {
      sha,
      message: commit.message ?? `commit ${sha.slice(0, 7)}`,
      committedAt: commit.committedAt,
      parents: commit.parents ?? [],
    });
  }

  /** Seeds a pull request; it shares the issue numbering, so its comments go through the issue endpoints. */
  addPullRequest(seed: PullRequestSeed): IssueRecord {
    const repository = this.repositoryState(seed.repository ?? this.defaultRepository);
    return structuredClone(seedPullRequest(this.state, repository, seed));
  }

  /** Comments on an issue or pull request, oldest first. */
  comments(issueNumber: number, repository = this.defaultRepository): CommentRecord[] {
    return structuredClone(commentsOn(this.repositoryState(repository), issueNumber));
  }

  /** Issues and pull requests, by number. */
  issues(repository = this.defaultRepository): IssueRecord[] {
    return structuredClone(
      [...this.repositoryState(repository).issues.values()].sort((a, b) => a.number - b.number),
    );
  }

  /** Deployments with their statuses, oldest first. */
  deployments(repository = this.defaultRepository): DeploymentRecord[] {
    return structuredClone(this.repositoryState(repository).deployments);
  }

  dispatches(repository = this.defaultRepository): DispatchRecord[] {
    return structuredClone(this.repositoryState(repository).dispatches);
  }

  private repositoryState(fullName: string): RepositoryState {
    const [owner, name, ...rest] = fullName.split('/');
    if (!owner || !name || rest.length > 0)
      throw new Error(`'${fullName}' is not owner/name, e.g. octo-org/recsys`);
    return this.state.repository(owner, name);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', this.url);
    const method = request.method ?? 'GET';
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseJson(text) ?? (text || undefined),
      status: 0,
    };
    this.requests.push(record);
    const reply = await this.answer(request, url, text, record);
    // A hung request keeps its connection open until the client gives up or the emulator closes.
    if (!reply) return;
    record.status = reply.status;
    send(response, reply);
  }

  private async answer(
    request: IncomingMessage,
    url: URL,
    text: string,
    record: RecordedRequest,
  ): Promise<OperationResponse | undefined> {
    const matched = findOperation(record.method, url.pathname);
    const reject: Reject = (status, reason, message, violations = []) =>
      this.rejectRequest(record, matched, { status, reason, message, violations });
    if (!request.headers.authorization?.trim())
      return reject(401, 'unauthenticated', 'Requires authentication');
    if (!matched) return reject(404, 'unknown-route', 'Not Found');
    const operationId = matched.operation.operationId;
    record.operationId = operationId;
    const handler = HANDLERS[operationId];
    if (!handler) {
      return reject(
        501,
        'not-emulated',
        `${operationId} (${record.method} ${matched.pathTemplate}) is not emulated`,
      );
    }

    const fault = this.takeFault(record.method, matched.pathTemplate);
    if (fault) record.injected = fault.kind;
    if (fault?.kind === 'failure' || fault?.kind === 'rate-limit') return fault.reply;
    if (fault?.kind === 'hang') return undefined;
    if (fault?.kind === 'delay') await this.wait(fault.delayMs);
    const reply = this.operate(handler, matched, url, text, reject);
    if (fault?.kind !== 'fail-after-acting') return reply;
    return {
      status: fault.status,
      body: errorBody(fault.status, STATUS_CODES[fault.status] ?? 'Server Error'),
    };
  }

  /** Checks the request against the description and runs the emulated operation. */
  private operate(
    handler: OperationHandler,
    matched: MatchedOperation,
    url: URL,
    text: string,
    reject: Reject,
  ): OperationResponse {
    const body = text ? parseJson(text) : undefined;
    if (text && body === undefined) return reject(400, 'invalid-json', 'Problems parsing JSON');
    const checked = specValidator().checkRequest(matched, url.searchParams, {
      present: body !== undefined,
      value: body,
    });
    if (checked.violations.length > 0) {
      const message = `Invalid request.\n\n${checked.violations.map((violation) => violation.message).join('\n')}`;
      return reject(422, 'invalid-request', message, checked.violations);
    }
    return this.runHandler(handler, matched, {
      pathParams: checked.pathParams,
      query: checked.query,
      body: (body ?? {}) as Record<string, unknown>,
      url,
    });
  }

  /** Records why a request was refused and answers with GitHub's error body for it. */
  private rejectRequest(
    record: RecordedRequest,
    matched: MatchedOperation | undefined,
    rejection: { status: number; reason: RejectionReason; message: string; violations: Violation[] },
  ): OperationResponse {
    const { status, reason, message, violations } = rejection;
    this.rejected.push({
      method: record.method,
      path: record.path,
      status,
      reason,
      message,
      violations,
      ...operationOf(record),
    });
    return {
      status,
      body: errorBody(status, message, documentationUrl(matched), violationDetails(violations)),
    };
  }

  private runHandler(
    handler: OperationHandler,
    matched: MatchedOperation,
    input: {
      pathParams: Record<string, unknown>;
      query: Record<string, unknown>;
      body: Record<string, unknown>;
      url: URL;
    },
  ): OperationResponse {
    const { operation } = matched;
    const fault = (message: string, violations: Violation[] = []): OperationResponse => {
      this.faults.push({
        method: matched.method.toUpperCase(),
        path: input.url.pathname,
        operationId: operation.operationId,
        message,
        violations,
      });
      return { status: 500, body: errorBody(500, message) };
    };
    let reply: OperationResponse;
    try {
      reply = handler({
        ...input,
        repository: this.state.repository(String(input.pathParams.owner), String(input.pathParams.repo)),
        actor: this.actor,
        state: this.state,
        represent: this.representations(),
      });
    } catch (error) {
      if (!(error instanceof GitHubApiError)) return fault(`the emulator failed: ${String(error)}`);
      reply = {
        status: error.status,
        body: errorBody(error.status, error.message, documentationUrl(matched), error.errors),
      };
    }
    if (this.validateResponses) {
      const violations = specValidator().checkResponse(operation, reply.status, reply.body);
      if (violations.length > 0) {
        const details = violations.map((violation) => violation.message).join(' ');
        const message = `the emulator's ${operation.operationId} response strays from GitHub's description: ${details}`;
        return fault(message, violations);
      }
    }
    return reply;
  }

  private representations(): Representations {
    if (!this.represent) throw new Error('the GitHub emulator is not listening yet');
    return this.represent;
  }
}

function operationOf(record: RecordedRequest): { operationId?: string } {
  return record.operationId === undefined ? {} : { operationId: record.operationId };
}

function documentationUrl(matched: MatchedOperation | undefined): string | undefined {
  return matched?.operation.externalDocs?.url;
}

function violationDetails(violations: Violation[]): ErrorDetail[] | undefined {
  if (violations.length === 0) return undefined;
  return violations.map(({ field, code, message, in: location }) => ({
    resource: location === 'body' ? 'Body' : 'Parameter',
    field,
    code,
    message,
  }));
}

/** `POST /repos/{owner}/{repo}/deployments` as a method and one of the description's path templates. */
function documentedRoute(on: string): { method: string; template: string } {
  const [method = '', template = ''] = on.trim().split(/\s+/);
  const documented = findOperation(method, template)?.pathTemplate;
  if (documented !== template) {
    throw new Error(
      `'${on}' is not a route of GitHub's description; write it as the description does, e.g. 'POST /repos/{owner}/{repo}/deployments'`,
    );
  }
  return { method: method.toUpperCase(), template };
}

const RATE_LIMIT_DOCUMENTATION_URL =
  'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

/** GitHub's bodies and headers for an exhausted quota (primary) and for the abuse limit (secondary). */
function rateLimitReply(rateLimit: InjectedRateLimit, reset: number): OperationResponse {
  const status = rateLimit.status ?? 403;
  const secondary = rateLimit.limit === 'secondary';
  const message = secondary
    ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0400:1F2E:3D4C:5B6A:7988.'
    : 'API rate limit exceeded for installation ID 4242.';
  const headers: Record<string, string> = {
    'x-ratelimit-reset': String(reset),
    ...(!secondary && { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000' }),
    ...(rateLimit.retryAfterSeconds !== undefined && { 'retry-after': String(rateLimit.retryAfterSeconds) }),
  };
  const documentationUrl = `${RATE_LIMIT_DOCUMENTATION_URL}${secondary ? '#about-secondary-rate-limits' : ''}`;
  return { status, body: errorBody(status, message, documentationUrl), headers };
}
