import type { Deployment, DeploymentsApi, DeploymentStatus } from '../src/index';

/**
 * An in-memory stand-in for GitHub's Deployments API with the documented behaviour the ledger relies on:
 * globally increasing ids, lists newest first, timestamps with one-second resolution, descriptions of at most
 * 140 characters, log_url validated as a URL, and `limit` answered with that many of the newest. It counts the
 * requests each list method receives, one per call (a real unlimited list may take several pages).
 */
export class FakeDeployments implements DeploymentsApi {
  readonly deployments: (Deployment & { description: string; ref: string })[] = [];
  readonly statuses = new Map<number, DeploymentStatus[]>();
  /** The list requests made, in order: `deployments` with its limit, `statuses <id>` with its limit. */
  readonly requests: string[] = [];
  private nextId = 1000;

  constructor(private readonly now: () => Date = () => new Date('2026-03-01T09:00:00Z')) {}

  async listDeployments({
    environment,
    limit,
  }: {
    environment: string;
    limit?: number;
  }): Promise<Deployment[]> {
    this.requests.push(`deployments limit ${limit ?? 'none'}`);
    const newestFirst = this.deployments
      .filter((deployment) => deployment.environment === environment)
      .reverse();
    return newestFirst.slice(0, limit);
  }

  async *listDeploymentPages({ environment }: { environment: string }): AsyncIterable<Deployment[]> {
    const all = await this.listDeployments({ environment });
    this.requests.pop();
    for (let start = 0; start === 0 || start < all.length; start += 100) {
      this.requests.push(`deployments page ${start / 100 + 1}`);
      yield all.slice(start, start + 100);
    }
  }

  async createDeployment(request: Parameters<DeploymentsApi['createDeployment']>[0]): Promise<Deployment> {
    const deployment = {
      id: this.nextId++,
      ref: request.ref,
      sha: /^[0-9a-f]{40}$/.test(request.ref) ? request.ref : 'f'.repeat(40),
      environment: request.environment,
      // GitHub stores the payload as JSON: undefined members disappear.
      payload: JSON.parse(JSON.stringify(request.payload)) as unknown,
      description: request.description,
      created_at: this.timestamp(),
    };
    this.deployments.push(deployment);
    this.statuses.set(deployment.id, []);
    return deployment;
  }

  async listDeploymentStatuses({
    deployment_id,
    limit,
  }: {
    deployment_id: number;
    limit?: number;
  }): Promise<DeploymentStatus[]> {
    this.requests.push(`statuses ${deployment_id} limit ${limit ?? 'none'}`);
    return [...(this.statuses.get(deployment_id) ?? [])].reverse().slice(0, limit);
  }

  async createDeploymentStatus(
    request: Parameters<DeploymentsApi['createDeploymentStatus']>[0],
  ): Promise<DeploymentStatus> {
    const list = this.statuses.get(request.deployment_id);
    if (!list) throw new Error(`404: deployment ${request.deployment_id} not found`);
    if (request.description.length > 140)
      throw new Error('422: description is too long (maximum is 140 characters)');
    if (request.log_url !== undefined) new URL(request.log_url);
    const status: DeploymentStatus = {
      id: this.nextId++,
      state: request.state,
      description: request.description,
      log_url: request.log_url ?? null,
      created_at: this.timestamp(),
      creator: { login: 'github-actions[bot]' },
    };
    list.push(status);
    const deployment = this.deployments.find((candidate) => candidate.id === request.deployment_id);
    if (deployment) deployment.updated_at = status.created_at;
    return status;
  }

  private timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
}
