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
  status: number;
  operationId?: string;
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

export interface InjectedFailure {
  message?: string;
  headers?: Record<string, string>;
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
  private readonly injectedFailures: { status: number; failure: InjectedFailure }[] = [];
  private baseUrl = '';
  private represent: Representations | undefined;

  constructor(options: GitHubEmulatorOptions = {}) {
    this.state = new EmulatorState(options.now ?? (() => new Date()));
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
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  /** Answers the next `count` requests with `status` (after the auth and route checks), e.g. for retry tests. */
  failNext(count: number, status: number, failure: InjectedFailure = {}): void {
    for (let index = 0; index < count; index += 1) this.injectedFailures.push({ status, failure });
  }

  /** Makes a branch or tag point at a commit, for deployments of that ref. */
  setRef(ref: string, sha: string, repository = this.defaultRepository): void {
    this.repositoryState(repository).refs.set(ref, sha.toLowerCase());
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
    const reply = this.answer(request, url, text, record);
    record.status = reply.status;
    send(response, reply);
  }

  private answer(
    request: IncomingMessage,
    url: URL,
    text: string,
    record: RecordedRequest,
  ): OperationResponse {
    const matched = findOperation(record.method, url.pathname);
    const reject = (status: number, reason: RejectionReason, message: string, violations: Violation[] = []) =>
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

    const injected = this.injectedFailures.shift();
    if (injected) return injectedReply(injected);

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

/** A failure a test queued (a 5xx, a rate limit with Retry-After), answered instead of the real handler. */
function injectedReply({ status, failure }: { status: number; failure: InjectedFailure }): OperationResponse {
  const message = failure.message ?? STATUS_CODES[status] ?? 'Injected failure';
  return { status, body: errorBody(status, message), headers: failure.headers };
}
