import type { Deployment, DeploymentsApi, DeploymentStatus } from '@recsys-actions/ledger';
import type { RunContext } from './context';
import { describeGitHubError } from './github-errors';
import { requireRepository, type Octokit } from './github';

type OctokitDeployment = Awaited<ReturnType<Octokit['rest']['repos']['getDeployment']>>['data'];
type OctokitDeploymentStatus = Awaited<
  ReturnType<Octokit['rest']['repos']['createDeploymentStatus']>
>['data'];

/**
 * The ledger's port to GitHub Deployments, for the run's repository; lists come newest first. Every call is
 * retried by the client; one that still fails says what it was for and, when GitHub refused, the permission.
 * The client may still be loading (ActionContext.github): the first call waits for it.
 */
export function githubDeployments(client: Octokit | Promise<Octokit>, context: RunContext): DeploymentsApi {
  const api = deploymentCalls(client, context);
  const explained =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>, what: string, permission: string) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw describeGitHubError(error, what, permission);
      }
    };
  return {
    listDeployments: explained(api.listDeployments, 'list the deployments', 'deployments: read'),
    listDeploymentPages: (query) => explainedPages(api.listDeploymentPages(query)),
    createDeployment: explained(api.createDeployment, 'create a deployment', 'deployments: write'),
    listDeploymentStatuses: explained(
      api.listDeploymentStatuses,
      'list deployment statuses',
      'deployments: read',
    ),
    createDeploymentStatus: explained(
      api.createDeploymentStatus,
      'record a deployment status',
      'deployments: write',
    ),
  };
}

/** Pages of deployments, a failed page explained as the other calls are. */
async function* explainedPages(pages: AsyncIterable<Deployment[]>): AsyncIterable<Deployment[]> {
  try {
    yield* pages;
  } catch (error) {
    throw describeGitHubError(error, 'list the deployments', 'deployments: read');
  }
}

function deploymentCalls(client: Octokit | Promise<Octokit>, context: RunContext): DeploymentsApi {
  const repository = requireRepository(context);
  return {
    async listDeployments({ environment, limit }) {
      const octokit = await client;
      const query = { ...repository, environment, per_page: limit ?? 100 };
      const deployments =
        limit === undefined
          ? await octokit.paginate(octokit.rest.repos.listDeployments, query)
          : (await octokit.rest.repos.listDeployments(query)).data;
      return deployments.map(toDeployment);
    },
    async *listDeploymentPages({ environment }) {
      const octokit = await client;
      const query = { ...repository, environment, per_page: 100 };
      for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeployments, query)) {
        yield page.data.map(toDeployment);
      }
    },
    async createDeployment({ payload, ...request }) {
      const octokit = await client;
      // Spread into a plain object: Octokit types the payload as an index signature, which interfaces lack.
      const response = await octokit.rest.repos.createDeployment({
        ...repository,
        ...request,
        payload: { ...payload },
      });
      // 202 means GitHub merged the default branch into the ref first; auto_merge is off, so only 201 is expected.
      if (!('id' in response.data)) {
        throw new Error(`GitHub did not create the deployment: ${response.data.message ?? response.status}`);
      }
      return toDeployment(response.data);
    },
    async listDeploymentStatuses({ deployment_id, limit }) {
      const octokit = await client;
      const query = { ...repository, deployment_id, per_page: limit ?? 100 };
      const statuses =
        limit === undefined
          ? await octokit.paginate(octokit.rest.repos.listDeploymentStatuses, query)
          : (await octokit.rest.repos.listDeploymentStatuses(query)).data;
      return statuses.map(toDeploymentStatus);
    },
    async createDeploymentStatus(request) {
      const octokit = await client;
      const response = await octokit.rest.repos.createDeploymentStatus({ ...repository, ...request });
      return toDeploymentStatus(response.data);
    },
  };
}

function toDeployment(deployment: OctokitDeployment): Deployment {
  return {
    id: deployment.id,
    sha: deployment.sha,
    environment: deployment.environment,
    payload: deployment.payload,
    created_at: deployment.created_at,
    updated_at: deployment.updated_at,
  };
}

function toDeploymentStatus(status: OctokitDeploymentStatus): DeploymentStatus {
  return {
    id: status.id,
    state: status.state,
    description: status.description,
    log_url: status.log_url,
    created_at: status.created_at,
    creator: status.creator ? { login: status.creator.login } : null,
  };
}
