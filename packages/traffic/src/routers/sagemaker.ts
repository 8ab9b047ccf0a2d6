import type * as SageMakerSdk from '@aws-sdk/client-sagemaker';
import { ConfigError, lazily, UserFacingError } from '@recsys-actions/core';
import { z } from 'zod';
import { applyOverObserved } from '../precondition';
import type { Router, RouterBackend, RouterContext } from '../router';
import type { Split } from '../split';
import {
  awsCaller,
  awsCommonFields,
  backendsSchema,
  checkRepresentable,
  clientSettings,
  platformName,
  pollUntil,
  splitFromWeights,
  versionNamed,
  waitUntilServing,
} from './aws-platform';

const sageMakerName = lazily(() =>
  z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'must be a SageMaker name, e.g. recs-prod'),
);

export const sageMakerRouterConfigSchema = lazily(() =>
  z
    .object({
      endpointName: sageMakerName(),
      /** Our version label → the production variant that serves it. */
      backends: backendsSchema(sageMakerName()),
      ...awsCommonFields(),
      // Weight updates take SageMaker minutes; verify waits them out.
      verifyTimeoutMs: z.number().int().positive().default(900_000),
      pollIntervalMs: z.number().int().positive().default(10_000),
    })
    .strict(),
);
export type SageMakerRouterConfig = z.infer<ReturnType<typeof sageMakerRouterConfigSchema>>;

const EXAMPLE = '{ endpointName: recs-prod, backends: { v1: champion, v2: challenger } }';
const SETTLING = new Set(['Updating', 'SystemUpdating', 'Creating', 'RollingBack']);
type Endpoint = SageMakerSdk.DescribeEndpointCommandOutput;

/**
 * Routes between the production variants of one SageMaker endpoint by their weights. Apply waits for the
 * endpoint to be InService, then sets DesiredWeight for the variants `backends` maps (capacity and every other
 * variant untouched) with UpdateEndpointWeightsAndCapacities; observe reads the CurrentWeight that serves; verify
 * (like apply) waits out `Updating` and turns `Failed` into an error carrying SageMaker's reason.
 */
export function createSageMakerRouter(config: SageMakerRouterConfig, _context: RouterContext): Router {
  const api = sageMakerApi(config);
  const settled = () =>
    pollUntil(
      api.describe,
      (endpoint) => !SETTLING.has(endpoint.EndpointStatus ?? ''),
      config.verifyTimeoutMs,
      config.pollIntervalMs,
    );
  const serving = (endpoint: Endpoint) => servingSplit(endpoint, config);
  return {
    description: `sagemaker ${api.resource}`,
    lockTarget: `sagemaker:${api.region}:${config.endpointName}`,
    credentials: [],
    async check(split) {
      checkSplit(split, config);
      variantsOf(split, await api.describe(), config);
    },
    // An update in flight (perhaps from a run killed right after sending it) decides what serves: wait it out.
    observe: async () => serving(settledOrThrow(await settled(), api.resource)),
    async apply(split, { expected }) {
      checkSplit(split, config);
      const endpoint = inService(await settled(), api.resource);
      return applyOverObserved(api.resource, serving(endpoint), split, expected, async () => {
        await api.update(variantsOf(split, endpoint, config));
        // The contract: apply resolves once new requests follow the split, which SageMaker says by InService.
        inService(await settled(), api.resource);
      });
    },
    async verify(split) {
      // apply waited out Updating; what serves now is read once (settled() also covers a caller that did not).
      const once = { verifyTimeoutMs: 0, pollIntervalMs: 0 };
      await waitUntilServing(
        async () => serving(inService(await settled(), api.resource)),
        split,
        api.resource,
        once,
      );
    },
  };
}

/** The two SageMaker calls this router makes, through a client loaded on first use. */
function sageMakerApi(config: SageMakerRouterConfig) {
  const settings = clientSettings('sagemaker', config, EXAMPLE);
  const resource = `endpoint ${config.endpointName} (${settings.region})`;
  const call = awsCaller(
    'sagemaker',
    resource,
    settings.region,
    () => import('@aws-sdk/client-sagemaker'),
    (module) => new module.SageMakerClient(settings),
  );
  return {
    resource,
    region: settings.region,
    describe: () =>
      call('DescribeEndpoint', ({ module, client }) =>
        client.send(new module.DescribeEndpointCommand({ EndpointName: config.endpointName })),
      ),
    update: (weights: [string, number][]) =>
      call('UpdateEndpointWeightsAndCapacities', ({ module, client }) =>
        client.send(
          new module.UpdateEndpointWeightsAndCapacitiesCommand({
            EndpointName: config.endpointName,
            DesiredWeightsAndCapacities: weights.map(([VariantName, DesiredWeight]) => ({
              VariantName,
              DesiredWeight,
            })),
          }),
        ),
      ),
  };
}

function checkSplit(split: Split, config: SageMakerRouterConfig): void {
  if (split.stickiness === 'user') {
    throw new ConfigError(
      'config',
      "for router 'sagemaker' cannot keep a user on one variant (SageMaker weights route per request); use stickiness: request",
      EXAMPLE,
    );
  }
  for (const { version } of split.targets) platformName('sagemaker', config.backends, version, EXAMPLE);
  checkRepresentable('sagemaker', split, config.backends, EXAMPLE);
}

/** The split the variants' CurrentWeight stands for; a weighted variant `backends` does not map is an error. */
function servingSplit(endpoint: Endpoint, config: SageMakerRouterConfig): Split | undefined {
  const weights = (endpoint.ProductionVariants ?? []).map((variant) => {
    const weight = variant.CurrentWeight ?? 0;
    const version = versionNamed(config.backends, variant.VariantName ?? '');
    if (version === undefined && weight > 0) {
      throw new UserFacingError(
        `Variant '${variant.VariantName}' of endpoint ${config.endpointName} has weight ${weight}, but backends does not map it to a version; add it (e.g. backends: { v0: ${variant.VariantName} }). Nothing was changed.`,
      );
    }
    return { version: version ?? '', weight };
  });
  return splitFromWeights(weights, config.backends, 'request');
}

/** [variant, weight] for every variant the endpoint has and `backends` maps: the split's share, else 0. */
function variantsOf(split: Split, endpoint: Endpoint, config: SageMakerRouterConfig): [string, number][] {
  const existing = (endpoint.ProductionVariants ?? []).map((variant) => variant.VariantName ?? '');
  for (const { version } of split.targets) {
    const variant = platformName('sagemaker', config.backends, version, EXAMPLE);
    if (!existing.includes(variant)) {
      throw new ConfigError(
        'config',
        `for router 'sagemaker' maps '${version}' to variant '${variant}', which endpoint ${config.endpointName} does not have (it has ${existing.join(', ')})`,
        EXAMPLE,
      );
    }
  }
  return existing
    .filter((variant) => versionNamed(config.backends, variant) !== undefined)
    .map((variant) => [
      variant,
      split.targets.find((target) => config.backends[target.version] === variant)?.weight ?? 0,
    ]);
}

/** The endpoint once no update is in flight (InService or Failed both say which weights serve). */
function settledOrThrow(endpoint: Endpoint, resource: string): Endpoint {
  if (!SETTLING.has(endpoint.EndpointStatus ?? '')) return endpoint;
  throw new UserFacingError(
    `${resource} is still ${endpoint.EndpointStatus} after the wait (verifyTimeoutMs), so what it will serve is not known yet; re-run the step once it is InService.`,
  );
}

function inService(endpoint: Endpoint, resource: string): Endpoint {
  if (endpoint.EndpointStatus === 'InService') return endpoint;
  if (endpoint.EndpointStatus === 'Failed') {
    throw new UserFacingError(
      `${resource} is Failed: ${endpoint.FailureReason ?? 'SageMaker gave no reason'}. Its previous weights still serve; fix the endpoint in SageMaker, then re-run.`,
    );
  }
  throw new UserFacingError(
    `${resource} is still ${endpoint.EndpointStatus} after the wait; re-run the step once it is InService.`,
  );
}

/** The SageMaker router, as registered under `sagemaker`. */
export const sageMakerRouterBackend: RouterBackend<SageMakerRouterConfig> = {
  type: 'sagemaker',
  get configSchema() {
    return sageMakerRouterConfigSchema();
  },
  example: EXAMPLE,
  create: createSageMakerRouter,
};
