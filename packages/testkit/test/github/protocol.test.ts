import { startGitHubEmulator, type GitHubEmulator } from '../../src/github/emulator';

/** Plain fetch, so these tests see the raw status codes, headers and bodies an HTTP client gets. */
let emulator: GitHubEmulator;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: 'token test-token', 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

beforeEach(async () => {
  emulator = await startGitHubEmulator();
});

afterEach(async () => {
  expect(emulator.faults).toEqual([]);
  await emulator.close();
});

describe('requests GitHub would refuse', () => {
  it('answers 401 without an Authorization header and records the rejection', async () => {
    const response = await fetch(`${emulator.url}/repos/octo-org/recsys/issues`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Requires authentication', status: '401' });
    expect(emulator.rejected).toMatchObject([{ method: 'GET', reason: 'unauthenticated', status: 401 }]);
  });

  it('answers 404 for a path GitHub does not have, and for a method the path does not have', async () => {
    const unknownPath = await call('GET', '/repos/octo-org/recsys/model-cards');
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.body).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
    expect((await call('PUT', '/repos/octo-org/recsys/dispatches', {})).status).toBe(404);
    expect(emulator.rejected.map((rejection) => rejection.reason)).toEqual([
      'unknown-route',
      'unknown-route',
    ]);
  });

  it('answers 501 for an operation GitHub documents but the emulator does not implement', async () => {
    const response = await call('GET', '/repos/octo-org/recsys/releases/1');
    expect(response.status).toBe(501);
    expect(emulator.rejected).toMatchObject([{ reason: 'not-emulated', operationId: 'repos/get-release' }]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await call('POST', '/repos/octo-org/recsys/issues', '{"title": ');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ message: 'Problems parsing JSON' });
  });

  it('answers 422 naming a missing required field, with the operation documentation', async () => {
    const response = await call('POST', '/repos/octo-org/recsys/dispatches', { client_payload: {} });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      message: 'Invalid request.\n\n"event_type" wasn\'t supplied.',
      errors: [
        {
          resource: 'Body',
          field: 'event_type',
          code: 'missing_field',
          message: '"event_type" wasn\'t supplied.',
        },
      ],
      documentation_url: 'https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event',
      status: '422',
    });
    expect(emulator.dispatches()).toEqual([]);
  });

  it('answers 422 for a wrong type, an unknown enum value and a constraint the schema states', async () => {
    await call('POST', '/repos/octo-org/recsys/issues', { title: 'Drift' });
    const wrongType = await call('PATCH', '/repos/octo-org/recsys/issues/1', { body: 42 });
    const unknownState = await call('PATCH', '/repos/octo-org/recsys/issues/1', { state: 'archived' });
    const tooManyKeys = await call('POST', '/repos/octo-org/recsys/dispatches', {
      event_type: 'retrain',
      client_payload: Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`k${index}`, index])),
    });
    expect([wrongType.status, unknownState.status, tooManyKeys.status]).toEqual([422, 422, 422]);
    expect(
      emulator.rejected.map((rejection) => rejection.violations.map((violation) => violation.field)),
    ).toEqual([['body'], ['state'], ['client_payload']]);
    expect(emulator.rejected[1]?.message).toBe(
      'Invalid request.\n\nFor \'state\', "archived" must be equal to one of the allowed values: "open", "closed".',
    );
    expect(emulator.issues()[0]).toMatchObject({ body: null, state: 'open' });
  });

  it('checks query and path parameters against their declared types', async () => {
    await call('POST', '/repos/octo-org/recsys/issues', { title: 'Drift' });
    const badPage = await call('GET', '/repos/octo-org/recsys/issues/1/comments?per_page=many');
    const badNumber = await call('GET', '/repos/octo-org/recsys/issues/first');
    expect([badPage.status, badNumber.status]).toEqual([422, 422]);
    expect(emulator.rejected.map((rejection) => rejection.violations[0])).toMatchObject([
      { in: 'query', field: 'per_page', code: 'invalid' },
      { in: 'path', field: 'issue_number', code: 'invalid' },
    ]);
  });
});

describe('responses', () => {
  it('sends JSON with GitHub headers and a Location for created resources', async () => {
    const created = await call('POST', '/repos/octo-org/recsys/issues', { title: 'Drift' });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(created.headers.get('location')).toBe(`${emulator.url}/repos/octo-org/recsys/issues/1`);
    expect(created.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(created.body).toMatchObject({ number: 1, url: `${emulator.url}/repos/octo-org/recsys/issues/1` });
  });

  it('sends 204 with no body for a repository dispatch and records it', async () => {
    const response = await call('POST', '/repos/octo-org/recsys/dispatches', {
      event_type: 'retrain',
      client_payload: { model: 'als', version: 3 },
    });
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    expect(emulator.dispatches()).toMatchObject([
      { eventType: 'retrain', clientPayload: { model: 'als', version: 3 } },
    ]);
  });

  it('pages comments with per_page and page and a Link header', async () => {
    await call('POST', '/repos/octo-org/recsys/issues', { title: 'Drift' });
    for (const body of ['a', 'b', 'c'])
      await call('POST', '/repos/octo-org/recsys/issues/1/comments', { body });
    const first = await call('GET', '/repos/octo-org/recsys/issues/1/comments?per_page=2');
    const second = await call('GET', '/repos/octo-org/recsys/issues/1/comments?per_page=2&page=2');
    expect((first.body as unknown as { body: string }[]).map((comment) => comment.body)).toEqual(['a', 'b']);
    expect((second.body as unknown as { body: string }[]).map((comment) => comment.body)).toEqual(['c']);
    const base = `${emulator.url}/repos/octo-org/recsys/issues/1/comments?per_page=2`;
    expect(first.headers.get('link')).toBe(`<${base}&page=2>; rel="next", <${base}&page=2>; rel="last"`);
    expect(second.headers.get('link')).toBe(`<${base}&page=1>; rel="prev", <${base}&page=1>; rel="first"`);
  });

  it('answers 404 for an issue that does not exist', async () => {
    const response = await call('POST', '/repos/octo-org/recsys/issues/12/comments', { body: 'hello' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ message: 'Not Found' });
  });
});

describe('test hooks', () => {
  it('fails the next requests with an injected status, then serves normally', async () => {
    emulator.failNext(2, 502, { headers: { 'retry-after': '1' } });
    const failures = [
      await call('GET', '/repos/octo-org/recsys/issues'),
      await call('GET', '/repos/octo-org/recsys/issues'),
    ];
    const recovered = await call('GET', '/repos/octo-org/recsys/issues');
    expect(failures.map((failure) => failure.status)).toEqual([502, 502]);
    expect(failures[0]?.headers.get('retry-after')).toBe('1');
    expect(failures[0]?.body).toMatchObject({ message: 'Bad Gateway' });
    expect(recovered.status).toBe(200);
  });

  it('logs every request with its method, path, query, body and status', async () => {
    await call('POST', '/repos/octo-org/recsys/issues', { title: 'Drift' });
    await call('GET', '/repos/octo-org/recsys/issues?state=all');
    expect(emulator.requests).toEqual([
      {
        method: 'POST',
        path: '/repos/octo-org/recsys/issues',
        query: {},
        body: { title: 'Drift' },
        status: 201,
        operationId: 'issues/create',
      },
      {
        method: 'GET',
        path: '/repos/octo-org/recsys/issues',
        query: { state: 'all' },
        body: undefined,
        status: 200,
        operationId: 'issues/list-for-repo',
      },
    ]);
  });
});

describe('injected faults', () => {
  it('aims a failure at one route and leaves the other requests alone', async () => {
    emulator.failNext(1, 500, { on: 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses' });
    const deployment = await call('POST', '/repos/octo-org/recsys/deployments', { ref: 'main' });
    const statuses = `/repos/octo-org/recsys/deployments/${String(deployment.body?.id)}/statuses`;
    const listed = await call('GET', statuses);
    const failed = await call('POST', statuses, { state: 'success' });
    const retried = await call('POST', statuses, { state: 'success' });
    expect([listed.status, failed.status, retried.status]).toEqual([200, 500, 201]);
    expect(emulator.requests.map((request) => request.injected)).toEqual([
      undefined,
      undefined,
      'failure',
      undefined,
    ]);
    expect(emulator.deployments()[0]?.statuses).toHaveLength(1);
  });

  it('refuses a route that is not written as the description names it', () => {
    expect(() => emulator.failNext(1, 500, { on: 'POST /repos/octo-org/recsys/deployments' })).toThrow(
      "'POST /repos/octo-org/recsys/deployments' is not a route of GitHub's description",
    );
  });

  it("answers a primary rate limit with GitHub's body and headers", async () => {
    const now = new Date('2026-12-02T01:00:00Z');
    await emulator.close();
    emulator = await startGitHubEmulator({ now: () => now });
    emulator.rateLimitNext(1, { retryAfterSeconds: 2, resetInSeconds: 30 });
    const limited = await call('GET', '/repos/octo-org/recsys/issues');
    expect(limited.status).toBe(403);
    expect(limited.body).toEqual({
      message: 'API rate limit exceeded for installation ID 4242.',
      documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
      status: '403',
    });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(now.getTime() / 1000 + 30));
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await call('GET', '/repos/octo-org/recsys/issues')).status).toBe(200);
  });

  it('answers a secondary rate limit with quota left and, unless asked, no Retry-After', async () => {
    emulator.rateLimitNext(1, { limit: 'secondary', status: 429 });
    const limited = await call('GET', '/repos/octo-org/recsys/issues');
    expect(limited.status).toBe(429);
    expect(limited.body?.message).toMatch(/^You have exceeded a secondary rate limit/);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('keeps a hung request unanswered until the client gives up, without running the operation', async () => {
    emulator.hangNext(1);
    await expect(
      fetch(`${emulator.url}/repos/octo-org/recsys/issues`, {
        method: 'POST',
        headers: { authorization: 'token test-token' },
        body: JSON.stringify({ title: 'Drift' }),
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(emulator.requests).toMatchObject([{ method: 'POST', status: 0, injected: 'hang' }]);
    expect(emulator.issues()).toEqual([]);
  });

  it('answers a delayed request normally once the delay is over', async () => {
    emulator.hangNext(1, { delayMs: 50 });
    const created = await call('POST', '/repos/octo-org/recsys/issues', { title: 'Drift' });
    expect(created.status).toBe(201);
    expect(emulator.requests).toMatchObject([{ status: 201, injected: 'delay' }]);
  });

  it('performs a write and then answers 500, as GitHub does when it fails after committing', async () => {
    emulator.failAfterActingNext(1, { on: 'POST /repos/{owner}/{repo}/issues' });
    const failed = await call('POST', '/repos/octo-org/recsys/issues', { title: 'Drift' });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ message: 'Internal Server Error' });
    expect(emulator.issues().map((issue) => issue.title)).toEqual(['Drift']);
    expect(emulator.requests).toMatchObject([{ status: 500, injected: 'fail-after-acting' }]);
  });
});
