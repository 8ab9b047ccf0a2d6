import { AwsServiceError } from './errors';

interface VariantState {
  name: string;
  currentWeight: number;
  desiredWeight: number;
  instances: number;
}

interface EndpointState {
  name: string;
  status: 'InService' | 'Updating' | 'Failed';
  variants: VariantState[];
  /** DescribeEndpoint answers still to give `Updating` before the update settles. */
  pendingPolls: number;
  failureReason?: string;
  created: Date;
  modified: Date;
}

/**
 * SageMaker endpoints with production variants. An update is eventually consistent, as on AWS: the endpoint
 * answers `Updating` (current weights unchanged, desired weights new) for `updatingPolls` descriptions, then
 * `InService` with the new weights, or `Failed` when a failure was armed. Updating an endpoint that is not
 * `InService` is refused with AWS's ValidationException.
 */
export class SageMakerFake {
  readonly endpoints = new Map<string, EndpointState>();
  /** How many DescribeEndpoint calls answer `Updating` after each update. */
  updatingPolls = 2;
  private armedFailure: string | undefined;

  constructor(private readonly region: string) {}

  addEndpoint(name: string, weights: Record<string, number>): void {
    const now = new Date(Date.UTC(2026, 0, 1));
    this.endpoints.set(name, {
      name,
      status: 'InService',
      variants: Object.entries(weights).map(([variant, weight]) => ({
        name: variant,
        currentWeight: weight,
        desiredWeight: weight,
        instances: 1,
      })),
      pendingPolls: 0,
      created: now,
      modified: now,
    });
  }

  /** The next update ends `Failed` with this reason, its weights never served. */
  failNextUpdate(reason: string): void {
    this.armedFailure = reason;
  }

  /** Weights serving now, by variant. */
  weights(name: string): Record<string, number> {
    return Object.fromEntries(
      this.endpoint(name).variants.map((variant) => [variant.name, variant.currentWeight]),
    );
  }

  arn(name: string): string {
    return `arn:aws:sagemaker:${this.region}:123456789012:endpoint/${name.toLowerCase()}`;
  }

  handle(operation: string, input: Record<string, unknown>): unknown {
    if (operation === 'DescribeEndpoint') return this.describe(String(input.EndpointName));
    if (operation === 'UpdateEndpointWeightsAndCapacities') {
      return this.update(String(input.EndpointName), input.DesiredWeightsAndCapacities as DesiredWeight[]);
    }
    throw new AwsServiceError('UnknownOperationException', `The fake does not serve SageMaker ${operation}`);
  }

  private endpoint(name: string): EndpointState {
    const endpoint = this.endpoints.get(name);
    if (!endpoint)
      throw new AwsServiceError('ValidationException', `Could not find endpoint "${this.arn(name)}".`);
    return endpoint;
  }

  private describe(name: string): unknown {
    const endpoint = this.endpoint(name);
    if (endpoint.status === 'Updating') {
      if (endpoint.pendingPolls > 0) endpoint.pendingPolls -= 1;
      else this.settle(endpoint);
    }
    return {
      EndpointName: endpoint.name,
      EndpointArn: this.arn(endpoint.name),
      EndpointConfigName: `${endpoint.name}-config`,
      EndpointStatus: endpoint.status,
      ...(endpoint.failureReason ? { FailureReason: endpoint.failureReason } : {}),
      CreationTime: endpoint.created.getTime() / 1000,
      LastModifiedTime: endpoint.modified.getTime() / 1000,
      ProductionVariants: endpoint.variants.map((variant) => ({
        VariantName: variant.name,
        CurrentWeight: variant.currentWeight,
        DesiredWeight: variant.desiredWeight,
        CurrentInstanceCount: variant.instances,
        DesiredInstanceCount: variant.instances,
      })),
    };
  }

  private settle(endpoint: EndpointState): void {
    if (this.armedFailure !== undefined) {
      endpoint.status = 'Failed';
      endpoint.failureReason = this.armedFailure;
      this.armedFailure = undefined;
      for (const variant of endpoint.variants) variant.desiredWeight = variant.currentWeight;
      return;
    }
    endpoint.status = 'InService';
    for (const variant of endpoint.variants) variant.currentWeight = variant.desiredWeight;
  }

  private update(name: string, desired: DesiredWeight[]): unknown {
    const endpoint = this.endpoint(name);
    if (endpoint.status !== 'InService') {
      throw new AwsServiceError(
        'ValidationException',
        `Cannot update in-progress endpoint "${this.arn(name)}" (status ${endpoint.status}).`,
      );
    }
    for (const change of desired) {
      if (!endpoint.variants.some((variant) => variant.name === change.VariantName)) {
        throw new AwsServiceError(
          'ValidationException',
          `The variant name(s) "${change.VariantName}" is/are not present in the endpoint configuration "${endpoint.name}-config".`,
        );
      }
    }
    for (const change of desired) {
      const variant = endpoint.variants.find((candidate) => candidate.name === change.VariantName);
      if (!variant) continue;
      if (change.DesiredWeight !== undefined) variant.desiredWeight = change.DesiredWeight;
      if (change.DesiredInstanceCount !== undefined) variant.instances = change.DesiredInstanceCount;
    }
    endpoint.status = 'Updating';
    endpoint.pendingPolls = this.updatingPolls;
    endpoint.modified = new Date(endpoint.modified.getTime() + 60_000);
    delete endpoint.failureReason;
    return { EndpointArn: this.arn(name) };
  }
}

interface DesiredWeight {
  VariantName: string;
  DesiredWeight?: number;
  DesiredInstanceCount?: number;
}
