import { UserFacingError } from '@recsys-actions/core';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { GitHubRateLimitedError, GitHubTimeoutError, type GitHubRetryOptions } from '../src/api-retry';
import type { RunContext } from '../src/context';
import { githubClient } from '../src/github-client';
import { describeGitHubError } from '../src/github-errors';

const TOKEN = 'ghs_RetryTestSecret0123456789';
const NOW = Date.parse('2026-12-02T01:00:00Z');
const repo = { owner: 'octo-org', repo: 'recsys' };
const STATUSES_ROUTE = 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses';

let emulator: GitHubEmulator;
let sleeps: number[];
let logged: string[];

beforeEach(async () => {
  emulator = await startGitHubEmulator({ now: () => new Date(NOW) });
  sleeps = [];
  logged = [];
});

afterEach(async () => {
  expect(emulator.faults).toEqual([]);
  expect(emulator.rejected).toEqual([]);
  await emulator.close();
});

/** The client an action gets, on a clock that stands still: sleeps are recorded, not waited. */
function client(options: GitHubRetryOptions = {}) {
  const context: RunContext = {
    workspace: '/tmp',
    event: {},
    serverUrl: 'https://github.com',
    apiUrl: emulator.url,
    ...repo,
  };
  return githubClient(TOKEN, context, {
    now: () => NOW,
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    log: (message) => logged.push(message),
    ...options,
  });
}

const statuses = () => emulator.requests.map((request) => request.status);

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error,
  );
}

describe('retries through githubClient', () => {
  it('retries two 500s with growing back-off, then succeeds without creating the issue twice', async () => {
    emulator.failNext(2, 500);
    const created = await client().rest.issues.create({ ...repo, title: 'Drift' });
    expect(created.status).toBe(201);
    expect(statuses()).toEqual([500, 500, 201]);
    expect(sleeps).toEqual([500, 1000]);
    expect(emulator.issues().map((issue) => issue.title)).toEqual(['Drift']);
    expect(logged).toEqual([
      'GitHub answered 500 to POST /repos/{owner}/{repo}/issues; retrying in 500 ms (attempt 2 of 4).',
      'GitHub answered 500 to POST /repos/{owner}/{repo}/issues; retrying in 1 s (attempt 3 of 4).',
    ]);
  });

  it('gives up after the last attempt and rethrows what GitHub answered', async () => {
    emulator.failNext(4, 503);
    const error = await failure(client().rest.issues.listForRepo(repo));
    expect(error).toMatchObject({ status: 503 });
    expect(statuses()).toEqual([503, 503, 503, 503]);
    expect(describeGitHubError(error, 'list the issues').message).toBe(
      'GitHub failed to list the issues (503 Service Unavailable), also when retried. Re-run the job later.',
    );
  });

  it('waits the Retry-After of a rate limit, then succeeds', async () => {
    emulator.rateLimitNext(1, { retryAfterSeconds: 2 });
    await client().rest.issues.listForRepo(repo);
    expect(sleeps).toEqual([2000]);
    expect(statuses()).toEqual([403, 200]);
  });

  it('waits until x-ratelimit-reset when the quota is used up and no Retry-After came', async () => {
    emulator.rateLimitNext(1, { resetInSeconds: 30 });
    await client().rest.issues.listForRepo(repo);
    expect(sleeps).toEqual([30_000]);
  });

  it("waits GitHub's documented minute after a secondary rate limit without Retry-After", async () => {
    emulator.rateLimitNext(1, { limit: 'secondary' });
    await client().rest.issues.listForRepo(repo);
    expect(sleeps).toEqual([60_000]);
    expect(statuses()).toEqual([403, 200]);
  });

  it('fails at once when the rate limit lifts after the wait budget, saying when to re-run', async () => {
    emulator.rateLimitNext(1, { retryAfterSeconds: 3600 });
    const error = await failure(
      client().rest.repos.createDeployment({
        ...repo,
        ref: 'main',
        auto_merge: false,
        required_contexts: [],
      }),
    );
    expect(error).toBeInstanceOf(GitHubRateLimitedError);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe(
      'GitHub rate-limited POST /repos/{owner}/{repo}/deployments and asks to wait 3600 s, more than the 60 s of waiting this request has left; re-run the job after 2026-12-02T02:00:00Z.',
    );
    expect(sleeps).toEqual([]);
    expect(statuses()).toEqual([403]);
    expect(emulator.deployments()).toEqual([]);
    expect(describeGitHubError(error, 'create a deployment').message).toBe(
      'GitHub rate-limited the request to create a deployment (POST /repos/{owner}/{repo}/deployments), so it was not done: re-run the job after 2026-12-02T02:00:00Z.',
    );
  });

  it('gives up with the rate-limit error when GitHub still refuses on the last attempt', async () => {
    emulator.rateLimitNext(4, { retryAfterSeconds: 1 });
    const error = await failure(client().rest.issues.listForRepo(repo));
    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect((error as Error).message).toBe(
      'GitHub rate-limited GET /repos/{owner}/{repo}/issues and still refused it on attempt 4; re-run the job after 2026-12-02T01:00:01Z.',
    );
  });

  it('counts the waits already spent against the budget', async () => {
    emulator.rateLimitNext(2, { retryAfterSeconds: 40 });
    const error = await failure(client().rest.issues.listForRepo(repo));
    expect(sleeps).toEqual([40_000]);
    expect((error as Error).message).toContain(
      'asks to wait 40 s, more than the 20 s of waiting this request has left',
    );
    expect(statuses()).toEqual([403, 403]);
  });

  it('aborts a hung request at the attempt timeout and retries it', async () => {
    const octokit = client({ attemptTimeoutMs: 500 });
    // The emulator compiles its validators on an operation's first use; warm them so only the hang is slow.
    await octokit.rest.issues.create({ ...repo, title: 'Warm-up' });
    emulator.hangNext(1);
    const created = await octokit.rest.issues.create({ ...repo, title: 'Drift' });
    expect(created.status).toBe(201);
    expect(emulator.requests.map((request) => [request.status, request.injected])).toEqual([
      [201, undefined],
      [0, 'hang'],
      [201, undefined],
    ]);
    expect(emulator.issues().map((issue) => issue.title)).toEqual(['Warm-up', 'Drift']);
    expect(logged).toEqual([
      'GitHub did not answer POST /repos/{owner}/{repo}/issues within 500 ms; retrying in 500 ms (attempt 2 of 4).',
    ]);
  });

  it('reports a request that hangs on every attempt as a timeout', async () => {
    emulator.hangNext(2);
    const error = await failure(
      client({ attemptTimeoutMs: 200, maxAttempts: 2 }).rest.issues.create({ ...repo, title: 'Drift' }),
    );
    expect(error).toBeInstanceOf(GitHubTimeoutError);
    expect(statuses()).toEqual([0, 0]);
    expect(describeGitHubError(error, 'open the drift issue').message).toBe(
      'GitHub did not answer the request to open the drift issue within 200 ms, also when retried. GitHub may have done it anyway. Re-run the job later.',
    );
  });

  it('leaves a request the caller aborted alone, without retrying it', async () => {
    emulator.hangNext(1);
    const error = await failure(
      client().request('GET /repos/{owner}/{repo}/issues', {
        ...repo,
        request: { signal: AbortSignal.timeout(100) },
      }),
    );
    expect(error).not.toBeInstanceOf(GitHubTimeoutError);
    expect(statuses()).toEqual([0]);
    expect(sleeps).toEqual([]);
  });

  it('does not retry a 403 that is not a rate limit, and names the permission the token needs', async () => {
    emulator.failNext(1, 403, { message: 'Resource not accessible by integration' });
    const error = await failure(
      client().rest.repos.createDeployment({
        ...repo,
        ref: 'main',
        auto_merge: false,
        required_contexts: [],
      }),
    );
    expect(statuses()).toEqual([403]);
    expect(sleeps).toEqual([]);
    const described = describeGitHubError(error, 'create a deployment', 'deployments: write');
    expect(described).toBeInstanceOf(UserFacingError);
    expect(described.message).toBe(
      'GitHub refused to create a deployment (403 Resource not accessible by integration): the token needs `permissions: deployments: write` in the workflow. Nothing was changed.',
    );
    expect(described.message).not.toContain(TOKEN);
  });

  it('does not retry a 422', async () => {
    const error = await failure(
      client().rest.issues.create({ ...repo, title: 'Drift', assignees: 'octocat' as never }),
    );
    expect(statuses()).toEqual([422]);
    expect(describeGitHubError(error, 'open an issue').message).toMatch(
      /^GitHub refused to open an issue \(422 /,
    );
    emulator.rejected.length = 0;
  });

  it('retries a status write that GitHub made before failing, so the ledger sees it twice', async () => {
    const octokit = client();
    const deployment = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
    });
    const id = (deployment.data as { id: number }).id;
    emulator.failAfterActingNext(1, { on: STATUSES_ROUTE });
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'success' });
    expect(emulator.deployments()[0]?.statuses.map((status) => status.state)).toEqual(['success', 'success']);
    expect(statuses()).toEqual([201, 500, 201]);
  });

  it('retries when GitHub cannot be reached, then says so', async () => {
    const octokit = client();
    await emulator.close();
    const error = await failure(octokit.rest.issues.listForRepo(repo));
    emulator = await startGitHubEmulator();
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(describeGitHubError(error, 'list the issues').message).toMatch(
      /^Could not reach GitHub to list the issues \(.*ECONNREFUSED.*\), also when retried\. Re-run the job later\.$/,
    );
  });

  it('returns an error that did not come from GitHub unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(describeGitHubError(bug, 'list the issues')).toBe(bug);
  });
});
