import { ConfigError, lazily, UserFacingError } from '@recsys-actions/core';
import { z } from 'zod';
import { describeSplit, sameSplit, splitSchema, versionSchema, type Split, type SplitTarget } from '../split';

/**
 * What the AWS routers share: the region and retry settings of their config, the `backends` map from our version
 * labels to the platform's names, turning platform weights into a split and back, and AWS errors told as what the
 * user must fix. The SDK clients themselves are loaded by each router only when it is created.
 */

export const awsRegionSchema = lazily(() =>
  z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region, e.g. eu-west-1')
    .optional(),
);

/** Config fields every AWS router has besides its target and `backends`. */
export const awsCommonFields = lazily(() => ({
  /** Defaults to AWS_REGION / AWS_DEFAULT_REGION, as aws-actions/configure-aws-credentials sets them. */
  region: awsRegionSchema(),
  /** SDK attempts per call; throttling and 5xx are retried with backoff within this budget. */
  maxAttempts: z.number().int().min(1).max(10).default(5),
  /** How long verify waits for the platform to serve the new split. */
  verifyTimeoutMs: z.number().int().positive().default(60_000),
  pollIntervalMs: z.number().int().positive().default(2_000),
  /** How long one request may take before the attempt is given up (and retried within maxAttempts). */
  requestTimeoutMs: z.number().int().positive().default(30_000),
}));

export function backendsSchema(platformName: z.ZodType<string, unknown>) {
  return z
    .record(versionSchema(), platformName)
    .refine((map) => Object.keys(map).length > 0, 'must map at least one version, e.g. { v1: champion }');
}

export interface AwsClientSettings {
  region: string;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

/** The SDK client settings: region from the config or the environment, bounded retries and timeouts. */
export function clientSettings(
  type: string,
  config: { region?: string; maxAttempts: number; requestTimeoutMs: number },
  example: string,
): AwsClientSettings {
  const region = config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ConfigError(
      'config',
      `for router '${type}' needs a region: set region in the config or AWS_REGION (aws-actions/configure-aws-credentials sets it)`,
      example,
    );
  }
  // A hung request fails its attempt instead of the job; the SDK retries it within maxAttempts. Without
  // throwOnRequestTimeout, the pinned @smithy/node-http-handler only logs a warning and keeps waiting.
  return {
    region,
    maxAttempts: config.maxAttempts,
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: config.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}

/** The platform name `backends` gives `version`; a missing one is a config error naming the router. */
export function platformName(
  type: string,
  backends: Record<string, string>,
  version: string,
  example: string,
): string {
  const name = backends[version];
  if (name === undefined) {
    throw new ConfigError(
      'config',
      `for router '${type}' has no backends entry for version '${version}' (it maps ${Object.keys(backends).join(', ')}); add one`,
      example,
    );
  }
  return name;
}

/** Our version for a platform name, or undefined when `backends` does not map it. */
export function versionNamed(backends: Record<string, string>, name: string): string | undefined {
  return Object.entries(backends).find(([, platform]) => platform === name)?.[0];
}

/**
 * The split that platform weights (any positive scale) stand for: whole percentages by largest remainder,
 * heaviest first and, on equal weights, in `backends` order, which is how the stable version comes first when
 * versions are listed oldest first. Zero weights do not route and are left out.
 */
export function splitFromWeights(
  weights: { version: string; weight: number }[],
  backends: Record<string, string>,
  stickiness: Split['stickiness'],
): Split | undefined {
  const routed = weights.filter((entry) => entry.weight > 0);
  const total = routed.reduce((sum, entry) => sum + entry.weight, 0);
  if (routed.length === 0) return undefined;
  const exact = routed.map((entry) => ({ ...entry, share: (entry.weight / total) * 100 }));
  const floors = exact.map((entry) => Math.floor(entry.share + 1e-9));
  let left = 100 - floors.reduce((sum, value) => sum + value, 0);
  const byRemainder = exact
    .map((entry, index) => ({ index, rest: entry.share - (floors[index] ?? 0) }))
    .sort((a, b) => b.rest - a.rest);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    floors[index] = (floors[index] ?? 0) + 1;
    left -= 1;
  }
  const order = Object.keys(backends);
  const targets: SplitTarget[] = exact
    .map((entry, index) => ({ version: entry.version, weight: floors[index] ?? 0 }))
    .filter((target) => target.weight > 0)
    .sort((a, b) => b.weight - a.weight || order.indexOf(a.version) - order.indexOf(b.version));
  return splitSchema().parse({ targets, stickiness });
}

/**
 * Refuses a split that the platform's weights could not give back as it is: a zero-weight target (a weight of 0
 * looks the same as no weight) or an order other than heaviest first, ties in `backends` order.
 */
export function checkRepresentable(
  type: string,
  split: Split,
  backends: Record<string, string>,
  example: string,
): void {
  const canonical = splitFromWeights(split.targets, backends, split.stickiness);
  const same =
    canonical?.targets.length === split.targets.length &&
    canonical.targets.every((target, index) => target.version === split.targets[index]?.version);
  if (!same) {
    throw new ConfigError(
      'config',
      `for router '${type}' cannot hold ${split.targets.map((t) => `${t.version} ${t.weight}%`).join(' / ')}: ` +
        'a version at 0 % is indistinguishable from one without a weight, and equal weights are told apart by the order of backends (list the stable version first)',
      example,
    );
  }
}

export interface AwsCallContext {
  /** The IAM action, e.g. `sagemaker:DescribeEndpoint`. */
  action: string;
  resource: string;
  region: string;
}

/**
 * Runs one SDK call and turns the failures a user can fix into one clear sentence: a denied IAM action (named),
 * missing credentials, an unreachable region. Other errors keep AWS's own code and words.
 */
export async function callAws<T>(context: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw describeAwsError(context, error);
  }
}

const NETWORK_ERROR = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)\b/;

export function describeAwsError({ action, resource, region }: AwsCallContext, error: unknown): Error {
  if (error instanceof UserFacingError) return error;
  const { name, message, code } = error as { name?: string; message?: string; code?: string };
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation') {
    return new UserFacingError(
      `AWS denied ${action} on ${resource}: the role this job assumed needs "${action}" in its policy (see the IAM policy in the router's README section).`,
    );
  }
  if (
    name === 'CredentialsProviderError' ||
    name === 'ExpiredTokenException' ||
    name === 'UnrecognizedClientException'
  ) {
    return new UserFacingError(
      `No usable AWS credentials for ${action} (${name}: ${message}); run aws-actions/configure-aws-credentials before this step.`,
    );
  }
  // The SDK wraps socket errors; their code is on the error, its cause, or only in the message.
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  const network = NETWORK_ERROR.exec([code, cause, message].join(' '))?.[0];
  if (network !== undefined || name === 'TimeoutError') {
    return new UserFacingError(
      `Cannot reach AWS in region ${region} for ${action} (${network ?? name}); check the region (e.g. eu-west-1) and that the runner can reach AWS.`,
    );
  }
  return new UserFacingError(
    `${action} on ${resource} failed: ${name ?? 'Error'}: ${message ?? String(error)}`,
  );
}

/**
 * A client made on first use from an SDK module imported on first use, so an action whose config names another
 * router never loads this SDK (cold start).
 */
function lazyClient<Module, Client>(
  load: () => Promise<Module>,
  make: (module: Module) => Client,
): () => Promise<{ module: Module; client: Client }> {
  let opened: Promise<{ module: Module; client: Client }> | undefined;
  return () => (opened ??= load().then((module) => ({ module, client: make(module) })));
}

/**
 * How one router calls its AWS service: the client is made on first use, and each call is named by its IAM
 * action (`<service>:<action>`) in the sentence a failure becomes.
 */
export function awsCaller<Module, Client>(
  service: string,
  resource: string,
  region: string,
  load: () => Promise<Module>,
  make: (module: Module) => Client,
) {
  const open = lazyClient(load, make);
  return <T>(action: string, send: (sdk: { module: Module; client: Client }) => Promise<T>): Promise<T> =>
    callAws({ action: `${service}:${action}`, resource, region }, async () => send(await open()));
}

/** Polls `read` until `done` holds or `timeoutMs` passes; returns the last value read. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() + intervalMs > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Resolves once `observe` reports `split`, polling to ride out eventually consistent reads; otherwise says what
 * serves instead. A zero timeout reads once.
 */
export async function waitUntilServing(
  observe: () => Promise<Split | undefined>,
  split: Split,
  resource: string,
  timing: { verifyTimeoutMs: number; pollIntervalMs: number },
): Promise<void> {
  const now = await pollUntil(
    observe,
    (serving) => sameSplit(serving, split),
    timing.verifyTimeoutMs,
    timing.pollIntervalMs,
  );
  if (!sameSplit(now, split)) {
    throw new UserFacingError(
      `${resource} serves ${now ? describeSplit(now) : 'nothing'} instead of ${describeSplit(split)}; another change was made meanwhile.`,
    );
  }
}
