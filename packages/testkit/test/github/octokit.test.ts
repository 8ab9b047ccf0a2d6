import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { stickyMarker, upsertStickyComment } from '@recsys-actions/core';
import { readRunContext } from '@recsys-actions/runtime/context';
import { issueCommentsApi, type Octokit as ActionsOctokit } from '@recsys-actions/runtime/github';
import { startGitHubEmulator, type GitHubEmulator } from '../../src/github/emulator';

/** The client @actions/github's getOctokit builds: core with the REST methods and paginate plugins. */
const GitHubClient = Octokit.plugin(restEndpointMethods, paginateRest);
const repo = { owner: 'octo-org', repo: 'recsys' };
const HEAD_SHA = 'ffac537e6cbbf934b08745a378932722df287a53';

let emulator: GitHubEmulator;
let github: InstanceType<typeof GitHubClient>;

beforeEach(async () => {
  emulator = await startGitHubEmulator();
  github = new GitHubClient({ auth: 'ghs_test', baseUrl: emulator.url });
});

afterEach(async () => {
  expect(emulator.faults).toEqual([]);
  expect(emulator.rejected).toEqual([]);
  await emulator.close();
});

describe('issue comments', () => {
  it('creates, lists across pages and updates comments on a pull request', async () => {
    const pull = emulator.addPullRequest({ headSha: HEAD_SHA, number: 7 });
    for (let index = 1; index <= 5; index += 1) {
      await github.rest.issues.createComment({
        ...repo,
        issue_number: pull.number,
        body: `comment ${index}`,
      });
    }
    const listed = await github.paginate(github.rest.issues.listComments, {
      ...repo,
      issue_number: 7,
      per_page: 2,
    });
    expect(listed.map((comment) => comment.body)).toEqual([1, 2, 3, 4, 5].map((index) => `comment ${index}`));
    expect(
      emulator.requests.filter((request) => request.operationId === 'issues/list-comments'),
    ).toHaveLength(3);

    const target = listed[2];
    const updated = await github.rest.issues.updateComment({
      ...repo,
      comment_id: target?.id ?? 0,
      body: 'edited',
    });
    expect(updated.data).toMatchObject({
      id: target?.id,
      body: 'edited',
      issue_url: `${emulator.url}/repos/octo-org/recsys/issues/7`,
    });
    expect(emulator.comments(7).map((comment) => comment.body)).toEqual([
      'comment 1',
      'comment 2',
      'edited',
      'comment 4',
      'comment 5',
    ]);
  });

  it('keeps exactly one sticky comment over repeated runs', async () => {
    emulator.addPullRequest({ headSha: HEAD_SHA, number: 3 });
    // The runtime's own adapter, over a client with the same REST plugins as @actions/github's.
    const api = issueCommentsApi(
      github as unknown as ActionsOctokit,
      readRunContext({ GITHUB_REPOSITORY: 'octo-org/recsys' }),
    );
    await github.rest.issues.createComment({ ...repo, issue_number: 3, body: 'an unrelated review comment' });
    const marker = stickyMarker('model-gate');

    const first = await upsertStickyComment(api, 3, marker, 'NDCG@10 0.41');
    const second = await upsertStickyComment(api, 3, marker, 'NDCG@10 0.43');

    expect(first.created).toBe(true);
    expect(second).toEqual({ commentId: first.commentId, created: false });
    const sticky = emulator.comments(3).filter((comment) => comment.body.includes(marker));
    expect(sticky).toHaveLength(1);
    expect(sticky[0]?.body).toBe(`${marker}\nNDCG@10 0.43`);
    expect(emulator.comments(3)).toHaveLength(2);
  });
});

describe('issues', () => {
  it('creates, gets, updates, closes and reopens an issue', async () => {
    const created = await github.rest.issues.create({
      ...repo,
      title: 'Drift alert: ALS',
      body: 'PSI 0.31',
      labels: ['drift'],
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      number: 1,
      state: 'open',
      labels: [{ name: 'drift' }],
      user: { login: 'github-actions[bot]' },
    });

    await github.rest.issues.update({ ...repo, issue_number: 1, body: 'PSI 0.35', labels: ['drift', 'p1'] });
    const closed = await github.rest.issues.update({
      ...repo,
      issue_number: 1,
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned', body: 'PSI 0.35' });
    expect(closed.data.closed_at).not.toBeNull();
    expect(closed.data.labels.map((label) => (typeof label === 'string' ? label : label.name))).toEqual([
      'drift',
      'p1',
    ]);

    const reopened = await github.rest.issues.update({ ...repo, issue_number: 1, state: 'open' });
    expect(reopened.data).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
    expect((await github.rest.issues.get({ ...repo, issue_number: 1 })).data.title).toBe('Drift alert: ALS');
  });

  it('closes as completed when no reason is given', async () => {
    await github.rest.issues.create({ ...repo, title: 'Retrain' });
    const closed = await github.rest.issues.update({ ...repo, issue_number: 1, state: 'closed' });
    expect(closed.data.state_reason).toBe('completed');
  });

  it('lists issues filtered by state and by all of the given labels', async () => {
    await github.rest.issues.create({ ...repo, title: 'A', labels: ['drift', 'als'] });
    await github.rest.issues.create({ ...repo, title: 'B', labels: ['drift'] });
    await github.rest.issues.create({ ...repo, title: 'C', labels: ['drift', 'als'] });
    await github.rest.issues.update({ ...repo, issue_number: 3, state: 'closed' });

    const titles = async (query: {
      state?: 'open' | 'closed' | 'all';
      labels?: string;
      direction?: 'asc' | 'desc';
    }) => (await github.rest.issues.listForRepo({ ...repo, ...query })).data.map((issue) => issue.title);
    expect(await titles({})).toEqual(['B', 'A']);
    expect(await titles({ labels: 'drift,als', state: 'all' })).toEqual(['C', 'A']);
    expect(await titles({ labels: 'als', state: 'closed' })).toEqual(['C']);
    expect(await titles({ state: 'all', direction: 'asc' })).toEqual(['A', 'B', 'C']);
  });
});

describe('deployments', () => {
  const deploy = async (
    environment: string,
    extra: { transient_environment?: boolean; production_environment?: boolean } = {},
  ) => {
    const response = await github.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      environment,
      auto_merge: false,
      required_contexts: [],
      payload: { model: 'als', version: 4 },
      ...extra,
    });
    return (response.data as { id: number }).id;
  };
  const succeed = (deploymentId: number) =>
    github.rest.repos.createDeploymentStatus({ ...repo, deployment_id: deploymentId, state: 'success' });
  const latestStates = () => emulator.deployments().map((deployment) => deployment.statuses.at(-1)?.state);

  it('creates a deployment, lists it with filters and records statuses', async () => {
    emulator.setRef('main', HEAD_SHA);
    const id = await deploy('staging');
    const fetched = await github.rest.repos.getDeployment({ ...repo, deployment_id: id });
    expect(fetched.data).toMatchObject({
      sha: HEAD_SHA,
      ref: 'main',
      task: 'deploy',
      environment: 'staging',
      payload: { model: 'als', version: 4 },
      production_environment: false,
      transient_environment: false,
    });

    const status = await github.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: id,
      state: 'in_progress',
      log_url: 'https://ci.example.com/runs/1',
      description: 'canary at 5%',
    });
    expect(status.data).toMatchObject({
      state: 'in_progress',
      environment: 'staging',
      target_url: 'https://ci.example.com/runs/1',
    });
    const statuses = await github.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id });
    expect(statuses.data.map((entry) => entry.description)).toEqual(['canary at 5%']);

    const list = async (filters: Record<string, string>) =>
      (await github.rest.repos.listDeployments({ ...repo, ...filters })).data.map(
        (deployment) => deployment.id,
      );
    expect(await list({ environment: 'staging', sha: HEAD_SHA, task: 'deploy' })).toEqual([id]);
    expect(await list({ environment: 'production' })).toEqual([]);
    expect(await list({ ref: 'release' })).toEqual([]);
  });

  it('defaults to the production environment and marks it as production', async () => {
    const id = (await github.rest.repos.createDeployment({ ...repo, ref: HEAD_SHA })).data as { id: number };
    expect(emulator.deployments()[0]).toMatchObject({
      id: id.id,
      environment: 'production',
      productionEnvironment: true,
      autoMerge: true,
      requiredContexts: null,
      sha: HEAD_SHA,
    });
  });

  it('makes earlier successful non-production deployments of the same environment inactive on success', async () => {
    const staging1 = await deploy('staging');
    await succeed(staging1);
    const failed = await deploy('staging');
    await github.rest.repos.createDeploymentStatus({ ...repo, deployment_id: failed, state: 'failure' });
    const transient = await deploy('staging', { transient_environment: true });
    await succeed(transient);
    const other = await deploy('qa');
    await succeed(other);
    const production = await deploy('production');
    await succeed(production);

    const staging2 = await deploy('staging');
    await succeed(staging2);
    const production2 = await deploy('production');
    await succeed(production2);

    // staging1 was success → inactive; the failed, transient, other-environment and production ones keep their state.
    expect(latestStates()).toEqual([
      'inactive',
      'failure',
      'success',
      'success',
      'success',
      'success',
      'success',
    ]);
    expect(emulator.deployments()[0]?.statuses.map((status) => status.state)).toEqual([
      'success',
      'inactive',
    ]);
  });

  it('leaves earlier deployments alone when auto_inactive is false', async () => {
    const first = await deploy('staging');
    await succeed(first);
    const second = await deploy('staging');
    await github.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: second,
      state: 'success',
      auto_inactive: false,
    });
    expect(latestStates()).toEqual(['success', 'success']);
  });

  it('moves a deployment to the environment a status names', async () => {
    const id = await deploy('staging');
    await github.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: id,
      state: 'success',
      environment: 'production',
    });
    const fetched = await github.rest.repos.getDeployment({ ...repo, deployment_id: id });
    expect(fetched.data).toMatchObject({ environment: 'production', original_environment: 'staging' });
  });
});

describe('pull requests of a commit', () => {
  it('returns the pull requests whose head or merge commit is the SHA', async () => {
    emulator.addPullRequest({ headSha: HEAD_SHA, number: 12, title: 'Tune ALS', labels: ['model'] });
    emulator.addPullRequest({ headSha: 'a'.repeat(40), mergeCommitSha: HEAD_SHA, number: 9 });
    emulator.addPullRequest({ headSha: 'b'.repeat(40), number: 13 });

    const pulls = await github.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: HEAD_SHA,
    });
    expect(pulls.data.map((pull) => [pull.number, pull.state, pull.head.sha])).toEqual([
      [12, 'open', HEAD_SHA],
      [9, 'closed', 'a'.repeat(40)],
    ]);
    expect(pulls.data[0]).toMatchObject({ title: 'Tune ALS', labels: [{ name: 'model' }], merged_at: null });
    expect(pulls.data[1]?.merge_commit_sha).toBe(HEAD_SHA);
  });
});

describe('pull requests', () => {
  it('opens one, refuses a second between the same branches, lists by head and updates it', async () => {
    const opened = await github.rest.pulls.create({
      ...repo,
      head: 'recsys/production',
      base: 'main',
      title: 'recsys: production v2 100%',
      body: 'Traffic moves when merged.',
    });
    expect(opened.status).toBe(201);
    expect(opened.data).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      head: { ref: 'recsys/production' },
      base: { ref: 'main' },
    });
    await expect(
      github.rest.pulls.create({ ...repo, head: 'recsys/production', base: 'main', title: 'again' }),
    ).rejects.toMatchObject({ status: 422 });

    const listed = await github.rest.pulls.list({ ...repo, head: 'octo-org:recsys/production' });
    expect(listed.data.map((pull) => pull.number)).toEqual([1]);
    expect((await github.rest.pulls.list({ ...repo, head: 'octo-org:other' })).data).toEqual([]);

    const updated = await github.rest.pulls.update({
      ...repo,
      pull_number: 1,
      title: 'v1 100%',
      state: 'closed',
    });
    expect(updated.data).toMatchObject({
      title: 'v1 100%',
      state: 'closed',
      body: 'Traffic moves when merged.',
    });
    expect((await github.rest.pulls.list({ ...repo })).data).toEqual([]);
    expect((await github.rest.pulls.get({ ...repo, pull_number: 1 })).data.title).toBe('v1 100%');
    await expect(github.rest.pulls.get({ ...repo, pull_number: 7 })).rejects.toMatchObject({ status: 404 });
  });
});

describe('failure injection', () => {
  it('surfaces an injected 503 to Octokit without changing state, then serves the retry', async () => {
    emulator.failNext(1, 503);
    await expect(github.rest.issues.create({ ...repo, title: 'Retrain' })).rejects.toMatchObject({
      status: 503,
    });
    expect(emulator.issues()).toEqual([]);
    await github.rest.issues.create({ ...repo, title: 'Retrain' });
    expect(emulator.issues().map((issue) => issue.title)).toEqual(['Retrain']);
  });
});

describe('repository dispatch', () => {
  it('records the event type and payload', async () => {
    await github.rest.repos.createDispatchEvent({
      ...repo,
      event_type: 'rollback',
      client_payload: { model: 'als' },
    });
    expect(emulator.dispatches()).toMatchObject([{ eventType: 'rollback', clientPayload: { model: 'als' } }]);
  });
});
