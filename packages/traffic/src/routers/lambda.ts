import type * as LambdaSdk from '@aws-sdk/client-lambda';
import { ConfigError, lazily, UserFacingError } from '@recsys-actions/core';
import { z } from 'zod';
import { applyWithPrecondition } from '../precondition';
import type { Router, RouterBackend, RouterContext } from '../router';
import { describeSplit, splitSchema, type Split } from '../split';
import {
  awsCaller,
  awsCommonFields,
  backendsSchema,
  clientSettings,
  platformName,
  versionNamed,
  waitUntilServing,
} from './aws-platform';

const lambdaVersion = lazily(() =>
  z
    .union([
      z.string().regex(/^[1-9][0-9]*$/, 'must be a published version number, e.g. 7'),
      z.number().int().positive(),
    ])
    .transform(String),
);

export const lambdaRouterConfigSchema = lazily(() =>
  z
    .object({
      /** The function's name or ARN. */
      functionName: z
        .string()
        .regex(/^[a-zA-Z0-9-_:]{1,140}$/, 'must be a function name or ARN, e.g. ranker'),
      alias: z.string().regex(/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/, 'must be an alias name, e.g. live'),
      /** Our version label → the published Lambda version number that runs it; required, as Lambda numbers them. */
      backends: backendsSchema(lambdaVersion()),
      ...awsCommonFields(),
    })
    .strict(),
);
export type LambdaRouterConfig = z.input<ReturnType<typeof lambdaRouterConfigSchema>> &
  z.infer<ReturnType<typeof lambdaRouterConfigSchema>>;

const EXAMPLE = '{ functionName: ranker, alias: live, backends: { v1: 7, v2: 8 } }';
type Alias = LambdaSdk.GetAliasCommandOutput;

/**
 * Routes with a Lambda alias: the split's first version is the alias's FunctionVersion, a second one gets its
 * share in RoutingConfig.AdditionalVersionWeights as a fraction (Lambda allows one additional version). Apply
 * sends the RevisionId it observed, so a change made by anyone in between is refused by Lambda itself; the alias
 * is then re-read and checked against `expected`, as a Kubernetes 409 is. The description and everything else on
 * the alias stay as they are.
 */
export function createLambdaRouter(config: LambdaRouterConfig, _context: RouterContext): Router {
  const api = lambdaApi(config);
  const observe = async () => aliasSplit(await api.getAlias(), config);
  return {
    description: `lambda ${api.resource}`,
    lockTarget: `lambda:${api.region}:${config.functionName}:${config.alias}`,
    credentials: [],
    async check(split) {
      checkSplit(split, config);
      await observe();
    },
    observe,
    async apply(split, { expected }) {
      const [primary, additional] = checkSplit(split, config);
      const weights = additional ? { [additional.number]: additional.weight / 100 } : {};
      // The update carries the RevisionId read with it; Lambda refuses it when anyone changed the alias since.
      return applyWithPrecondition(
        api.resource,
        async () => {
          const alias = await api.getAlias();
          return {
            observed: aliasSplit(alias, config),
            write: () => api.updateAlias(primary, weights, alias.RevisionId),
          };
        },
        split,
        expected,
      );
    },
    async verify(split) {
      // GetAlias may answer from a replica that has not seen the update yet.
      await waitUntilServing(observe, split, api.resource, config);
    },
  };
}

/** The two Lambda calls this router makes, through a client loaded on first use. */
function lambdaApi(config: LambdaRouterConfig) {
  const settings = clientSettings('lambda', config, EXAMPLE);
  const resource = `alias ${config.functionName}:${config.alias} (${settings.region})`;
  const call = awsCaller(
    'lambda',
    resource,
    settings.region,
    () => import('@aws-sdk/client-lambda'),
    (module) => new module.LambdaClient(settings),
  );
  const target = { FunctionName: config.functionName, Name: config.alias };
  return {
    resource,
    region: settings.region,
    getAlias: () => call('GetAlias', ({ module, client }) => client.send(new module.GetAliasCommand(target))),
    /** Resolves false when Lambda refused the RevisionId as stale (PreconditionFailedException). */
    updateAlias: (version: string, weights: Record<string, number>, revisionId: string | undefined) =>
      call('UpdateAlias', async ({ module, client }) => {
        const update = new module.UpdateAliasCommand({
          ...target,
          FunctionVersion: version,
          RoutingConfig: { AdditionalVersionWeights: weights },
          RevisionId: revisionId,
        });
        try {
          await client.send(update);
          return true;
        } catch (error) {
          if (error instanceof module.PreconditionFailedException) return false;
          throw error;
        }
      }),
  };
}

/** The primary version number and the additional one with its percent, refusing what an alias cannot hold. */
function checkSplit(
  split: Split,
  config: LambdaRouterConfig,
): [string, { number: string; weight: number } | undefined] {
  if (split.stickiness === 'user') {
    throw new ConfigError(
      'config',
      "for router 'lambda' cannot keep a user on one version (alias weights route per invocation); use stickiness: request",
      EXAMPLE,
    );
  }
  if (split.targets.length > 2) {
    throw new ConfigError(
      'config',
      `for router 'lambda' can route to two versions at most (Lambda allows one additional version), got ${describeSplit(split)}`,
      EXAMPLE,
    );
  }
  const [first, second] = split.targets.map((target) => ({
    number: platformName('lambda', config.backends, target.version, EXAMPLE),
    weight: target.weight,
  }));
  return [first?.number ?? '', second];
}

/** The split an alias routes: FunctionVersion first, the additional version's fraction as a whole percent. */
function aliasSplit(alias: Alias, config: LambdaRouterConfig): Split {
  const weights = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  const versionOf = (number: string) => {
    const version = versionNamed(config.backends, number);
    if (version === undefined) {
      throw new UserFacingError(
        `Alias ${config.functionName}:${config.alias} routes to Lambda version ${number}, which backends does not map to a version; add it (e.g. backends: { v0: ${number} }). Nothing was changed.`,
      );
    }
    return version;
  };
  const targets = [{ version: versionOf(alias.FunctionVersion ?? ''), weight: 100 }];
  const [extra] = weights;
  if (extra) {
    const share = Math.round(extra[1] * 100);
    targets.push({ version: versionOf(extra[0]), weight: share });
    targets[0] = { version: targets[0]?.version ?? '', weight: 100 - share };
  }
  return splitSchema().parse({ targets, stickiness: 'request' });
}

/** The Lambda alias router, as registered under `lambda`. */
export const lambdaRouterBackend: RouterBackend<LambdaRouterConfig> = {
  type: 'lambda',
  get configSchema() {
    return lambdaRouterConfigSchema();
  },
  example: EXAMPLE,
  create: createLambdaRouter,
};
