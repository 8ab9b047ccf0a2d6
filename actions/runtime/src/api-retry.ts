import { UserFacingError } from '@recsys-actions/core';
import type { Octokit } from './github';

/** How every request through {@link githubClient} is retried; tests shorten the clock, production never does. */
export interface GitHubRetryOptions {
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  /** Total time a request may spend waiting between its attempts; a longer wait is not started. */
  budgetMs?: number;
  /** One attempt that has not been answered by then is aborted and counts as a failed attempt. */
  attemptTimeoutMs?: number;
  /** First back-off after a 5xx or network error without Retry-After; doubled each time, with jitter. */
  firstBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Epoch milliseconds, for `x-ratelimit-reset` and for when to re-run. */
  now?: () => number;
  /** In [0, 1), for the jitter. */
  random?: () => number;
  /** Told about each retry, one line; defaults to the client's `log.warn`. */
  log?: (message: string) => void;
}

/**
 * Long enough to ride out a GitHub blip or a secondary rate limit (GitHub asks for a minute), short enough
 * that a step stays bounded: 60 s of waits plus 4 attempts of at most 30 s, the latter only if GitHub hangs.
 */
export const GITHUB_RETRY_DEFAULTS = {
  maxAttempts: 4,
  budgetMs: 60_000,
  attemptTimeoutMs: 30_000,
  firstBackoffMs: 1_000,
} as const;

/** GitHub asked to wait longer than an action waits, or kept refusing: the run should be retried later. */
export class GitHubRateLimitedError extends UserFacingError {
  override name = 'GitHubRateLimitedError';
  constructor(
    /** `POST /repos/{owner}/{repo}/deployments`: the route, without the values of its parameters. */
    readonly request: string,
    /** When GitHub said the limit lifts. */
    readonly retryAt: Date,
    reason: string,
  ) {
    super(`GitHub rate-limited ${request} and ${reason}; re-run the job after ${isoSeconds(retryAt)}.`);
  }
}

/** A request GitHub accepted but did not answer within the attempt timeout, on every attempt. */
export class GitHubTimeoutError extends Error {
  override name = 'GitHubTimeoutError';
  constructor(
    readonly request: string,
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`GitHub did not answer ${request} within ${duration(timeoutMs)}`);
  }
}

interface RequestOptions {
  method: string;
  url: string;
  request?: { signal?: AbortSignal };
}

type Policy = Required<GitHubRetryOptions>;

interface RetryableFailure {
  kind: 'rate-limit' | 'server' | 'network' | 'timeout';
  /** What GitHub asked for (Retry-After, the rate limit's reset); back-off applies when absent. */
  waitMs?: number;
}

const RETRIED_STATUSES = new Set([500, 502, 503, 504]);
/** GitHub's documentation: without Retry-After, wait at least a minute after a secondary rate limit. */
const SECONDARY_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Retries every request of the client: 5xx, network errors, timeouts and rate limits.
 *
 * WHY writes (POST) are retried too: after a 5xx or a timeout GitHub may or may not have done the write, and
 * nothing in the failure tells which (a refused connection would, but fetch does not say so reliably). Not
 * retrying fails a release step half-way on a blip; retrying risks a duplicate, which the deployment ledger
 * is designed to tolerate (a status recorded twice) and which elsewhere is visible clutter (a second
 * comment or issue), the smaller harm. Rate limits are always safe to retry: GitHub refused before acting.
 */
export function retryGitHubRequests(octokit: Octokit, options: GitHubRetryOptions = {}): void {
  const policy: Policy = {
    ...GITHUB_RETRY_DEFAULTS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    random: Math.random,
    log: (message) => octokit.log.warn(message),
    ...options,
  };
  octokit.hook.wrap('request', (send, request) => sendWithRetries(send, request, policy));
}

async function sendWithRetries<Options extends RequestOptions, T>(
  send: (options: Options) => T | Promise<T>,
  options: Options,
  policy: Policy,
): Promise<T> {
  let waitedMs = 0;
  const route = `${options.method} ${options.url}`;
  const callerSignal = options.request?.signal;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptWithTimeout(send, options, callerSignal, policy.attemptTimeoutMs);
    } catch (error) {
      const failure = callerSignal?.aborted ? undefined : retryableFailure(error, policy.now());
      if (!failure) throw error;
      const waitMs = failure.waitMs ?? backoffMs(attempt, policy);
      const remainingMs = policy.budgetMs - waitedMs;
      if (attempt >= policy.maxAttempts || waitMs > remainingMs) {
        if (failure.kind !== 'rate-limit') throw error;
        const reason =
          attempt >= policy.maxAttempts
            ? `still refused it on attempt ${attempt}`
            : `asks to wait ${duration(waitMs)}, more than the ${duration(remainingMs)} of waiting this request has left`;
        throw new GitHubRateLimitedError(route, new Date(policy.now() + waitMs), reason);
      }
      policy.log(
        `${describeFailure(error, failure, route)}; retrying in ${duration(waitMs)} (attempt ${attempt + 1} of ${policy.maxAttempts}).`,
      );
      await policy.sleep(waitMs);
      waitedMs += waitMs;
    }
  }
}

/**
 * Sends one attempt with its own abort signal, joined to the caller's if it brought one. The signal is set on
 * `options` itself: the hooks inside this one (auth, the request) were bound to that object, not to an
 * argument `send` is called with.
 */
async function attemptWithTimeout<Options extends RequestOptions, T>(
  send: (options: Options) => T | Promise<T>,
  options: Options,
  callerSignal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<T> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
  options.request = { ...options.request, signal };
  try {
    return await send(options);
  } catch (error) {
    if (timeout.signal.aborted && !callerSignal?.aborted)
      throw new GitHubTimeoutError(`${options.method} ${options.url}`, options.method, timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function retryableFailure(error: unknown, nowMs: number): RetryableFailure | undefined {
  if (error instanceof GitHubTimeoutError) return { kind: 'timeout' };
  if (!isHttpError(error)) return undefined;
  const { status, response } = error;
  // Octokit reports a request that got no answer (refused, reset, DNS) as a 500 without a response.
  if (!response) return status === 500 ? { kind: 'network' } : undefined;
  const headers = response.headers;
  if (isRateLimit(status, headers, response.data)) {
    return { kind: 'rate-limit', waitMs: rateLimitWaitMs(headers, nowMs) ?? SECONDARY_RATE_LIMIT_WAIT_MS };
  }
  if (!RETRIED_STATUSES.has(status)) return undefined;
  const waitMs = retryAfterMs(headers['retry-after'], nowMs);
  return waitMs === undefined ? { kind: 'server' } : { kind: 'server', waitMs };
}

/** 429 is always a rate limit; GitHub also sends 403 for primary and secondary limits, told apart by these. */
function isRateLimit(status: number, headers: ResponseHeaders, body: unknown): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  if (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined) return true;
  return /rate limit/i.test(messageOf(body) ?? '');
}

function rateLimitWaitMs(headers: ResponseHeaders, nowMs: number): number | undefined {
  const retryAfter = retryAfterMs(headers['retry-after'], nowMs);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] !== '0' || !Number.isFinite(reset) || reset <= 0) return undefined;
  return Math.max(0, reset * 1000 - nowMs);
}

/** Retry-After in seconds, or as an HTTP date (RFC 9110 allows both). */
function retryAfterMs(value: string | number | undefined, nowMs: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const delaySeconds = Number(value);
  if (Number.isFinite(delaySeconds)) return Math.max(0, delaySeconds * 1000);
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Doubling from firstBackoffMs with "equal jitter": half fixed, half random, so clients spread out. */
function backoffMs(attempt: number, policy: Policy): number {
  const ceiling = policy.firstBackoffMs * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}

function describeFailure(error: unknown, failure: RetryableFailure, route: string): string {
  switch (failure.kind) {
    case 'rate-limit':
      return `GitHub rate-limited ${route}`;
    case 'server':
      return `GitHub answered ${(error as HttpError).status} to ${route}`;
    case 'timeout':
      return (error as GitHubTimeoutError).message;
    case 'network':
      return `Could not reach GitHub for ${route} (${rootCause(error)})`;
  }
}

/** `connect ECONNREFUSED 127.0.0.1:443` rather than the `fetch failed` some fetch implementations wrap it in. */
export function rootCause(error: unknown): string {
  let cause = error;
  while (isErrorLike(cause) && isErrorLike(cause.cause)) cause = cause.cause;
  return isErrorLike(cause) ? cause.message : String(cause);
}

/** By shape: errors thrown inside fetch may come from another realm (a test VM), where instanceof fails. */
function isErrorLike(value: unknown): value is { message: string; cause?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string';
}

type ResponseHeaders = Record<string, string | number | undefined>;

/** Octokit's RequestError, recognised by shape: @octokit/request-error is not a dependency of ours. */
export interface HttpError extends Error {
  status: number;
  request?: { method?: string };
  response?: { headers: ResponseHeaders; data: unknown };
}

export function isHttpError(error: unknown): error is HttpError {
  return (
    isErrorLike(error) &&
    (error as HttpError).name === 'HttpError' &&
    typeof (error as HttpError).status === 'number'
  );
}

/** The `message` of GitHub's error body, without the documentation link Octokit appends to its own. */
export function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body || undefined;
  const message = (body as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** `200 ms`, `1.5 s`, `3600 s`: what a log line or an error message shows for a wait or a timeout. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
