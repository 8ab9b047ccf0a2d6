import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import type { HttpMethod, RequestContext } from '@kubernetes/client-node/dist/gen/http/http.js';
import { UserFacingError } from '@recsys-actions/core';

/** A Kubernetes object as JSON, as far as the routers read it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec?: unknown;
  status?: unknown;
}

/** Which object a router routes through. */
export interface ObjectRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespace: string;
  name: string;
}

export type JsonPatchOperation =
  { op: 'add' | 'replace' | 'test'; path: string; value: unknown } | { op: 'remove'; path: string };

export interface KubeClient {
  /** The API server's URL, for messages. */
  readonly server: string;
  read(ref: ObjectRef): Promise<KubeObject>;
  /** A JSON patch; throws {@link ResourceVersionConflict} when the object moved past its precondition. */
  patch(ref: ObjectRef, operations: JsonPatchOperation[]): Promise<KubeObject>;
}

/** The object changed since it was read (409): re-read it and decide again. */
export class ResourceVersionConflict extends Error {
  override name = 'ResourceVersionConflict';
}

/** How often a 429 or 5xx is retried, and the longest Retry-After honoured. */
const ATTEMPTS = 5;
const MAX_RETRY_AFTER_MS = 10_000;

/**
 * Opens the official client (KUBECONFIG, ~/.kube/config, or the in-cluster service account) on first use. The
 * module is imported here and only here, so actions whose router is not a Kubernetes one never load it.
 */
export async function openKubeClient(context: string | undefined, timeoutMs: number): Promise<KubeClient> {
  keepHttpParserUnoptimized();
  const config = await loadKubeConfig(context);
  const server = config.getCurrentCluster()?.server ?? 'the cluster';
  const customObjects = await customObjectsApi(config, server);
  const call = <T>(ref: ObjectRef, verb: string, request: () => Promise<T>) =>
    withRetries(() =>
      withTimeout(request(), timeoutMs, `${verb} ${ref.kind} ${ref.namespace}/${ref.name}`).catch(
        (error: unknown) => failure(error, ref, verb, server),
      ),
    );
  return {
    server,
    read: (ref) => call(ref, 'get', () => customObjects.read(ref)),
    patch: (ref, operations) => call(ref, 'patch', () => customObjects.patch(ref, operations)),
  };
}

/**
 * The client's HTTP library (undici) parses responses with a WebAssembly build of llhttp. After a few responses
 * V8 starts recompiling its large parse function with its optimizing compiler on a background thread, and the
 * process cannot exit until that compile ends: ~100 ms (more on a busy runner) added to every step, for code
 * that would parse a few more kilobytes at most. A step makes a handful of requests, so the parser stays on its
 * baseline code: the tier-up budget (bytes executed, roughly, per instance) is raised far above what a step
 * spends. It is read when the parser is instantiated, on the first request; a process that did parse gigabytes
 * would still optimize it.
 */
function keepHttpParserUnoptimized(): void {
  // node:v8 loaded here, not at the top: actions whose router is not a Kubernetes one never load it.
  process.getBuiltinModule('node:v8').setFlagsFromString('--wasm-tiering-budget=1000000000');
}

async function loadKubeConfig(context: string | undefined) {
  const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
  const config = new KubeConfig();
  config.loadFromDefault();
  if (context !== undefined) {
    if (!config.getContextObject(context)) {
      throw new UserFacingError(`The kubeconfig has no context '${context}' (router-config context).`);
    }
    config.setCurrentContext(context);
  }
  return config;
}

/**
 * The official client's request context, kubeconfig authentication (token, exec and auth plugins, client
 * certificates, the cluster's CA), HTTP library and ApiException, with the custom object's path and JSON built
 * here. Its CustomObjects request factory and response processor would do the same for these two calls, but they
 * import the serializer of every built-in API model (1.4 MB of source, ~45 ms to compile on every Kubernetes
 * step) to (de)serialize an untyped object, which is plain JSON.
 */
async function customObjectsApi(config: KubeConfigInstance, server: string) {
  // One module each, destructured where it is awaited, so the bundler keeps only what is used.
  const { ServerConfiguration } = await import('@kubernetes/client-node/dist/gen/servers.js');
  const { HttpMethod: methods } = await import('@kubernetes/client-node/dist/gen/http/http.js');
  const { IsomorphicFetchHttpLibrary } =
    await import('@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js');
  const { ApiException } = await import('@kubernetes/client-node/dist/gen/apis/exception.js');
  const baseServer = new ServerConfiguration(server, {});
  const http = new IsomorphicFetchHttpLibrary();
  let dispatcher: ReturnType<RequestContext['getDispatcher']>;
  const exchange = async (ref: ObjectRef, method: HttpMethod, operations?: JsonPatchOperation[]) => {
    const request = baseServer.makeRequestContext(objectPath(ref), method);
    request.setHeaderParam('Accept', 'application/json, */*;q=0.8');
    if (operations) {
      request.setHeaderParam('Content-Type', 'application/json-patch+json');
      request.setBody(JSON.stringify(operations));
    }
    await config.applySecurityAuthentication(request);
    // The client makes a new connection pool (undici Agent) on every call, so each request would open its own
    // TCP connection and TLS handshake. Its TLS settings come from this one kubeconfig context: the first pool
    // serves them all, and the step's requests share one kept-alive connection.
    dispatcher ??= request.getDispatcher();
    if (dispatcher) request.setDispatcher(dispatcher);
    const response = await http.send(request).toPromise();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw new ApiException(
        response.httpStatusCode,
        'Unknown API Status Code!',
        await response.getBodyAsAny(),
        response.headers,
      );
    }
    return JSON.parse(await response.body.text()) as KubeObject;
  };
  return {
    read: (ref: ObjectRef) => exchange(ref, methods.GET),
    patch: (ref: ObjectRef, operations: JsonPatchOperation[]) => exchange(ref, methods.PATCH, operations),
  };
}

/** The custom object's URL path, as the client's CustomObjects API builds it. */
function objectPath({ group, version, namespace, plural, name }: ObjectRef): string {
  return `/apis/${[group, version, 'namespaces', namespace, plural, name].map(encodeURIComponent).join('/')}`;
}

type KubeConfigInstance = Awaited<ReturnType<typeof loadKubeConfig>>;

/** A 429 or 5xx worth another attempt, after the server's Retry-After (or a short backoff). */
class Retryable extends Error {
  constructor(
    message: string,
    readonly waitMs: number,
  ) {
    super(message);
  }
}

async function withRetries<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      if (attempt >= ATTEMPTS) throw new UserFacingError(`${error.message} (after ${ATTEMPTS} attempts)`);
      await sleep(error.waitMs);
    }
  }
}

/**
 * A request the API server does not answer in time is given up and retried like a 5xx. A patch that lands
 * after all is harmless: its retry carries the same resourceVersion, so the server refuses it (409) and the
 * router reads again.
 */
async function withTimeout<T>(request: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Retryable(`The Kubernetes API did not answer to ${what} within ${timeoutMs} ms`, 0)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface ApiFailure {
  code: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What went wrong, told as a user can fix it; never the client's raw dump of headers. */
function failure(error: unknown, ref: ObjectRef, verb: string, server: string): never {
  if (error instanceof Retryable) throw error;
  const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (!isApiFailure(error)) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new UserFacingError(
      `Cannot reach the Kubernetes API at ${server} to ${verb} ${what} (${reason}); check KUBECONFIG and that ` +
        'the cluster is reachable from this runner. Nothing was changed.',
    );
  }
  const message = statusMessage(error.body) ?? `HTTP ${error.code}`;
  const resource = ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
  if (error.code === 409) throw new ResourceVersionConflict(message);
  if (error.code === 429 || error.code >= 500) {
    throw new Retryable(
      `The Kubernetes API answered ${error.code} to ${verb} ${what}: ${message}`,
      retryAfter(error),
    );
  }
  if (error.code === 404) {
    throw new UserFacingError(
      `${what} does not exist at ${server} (${message}); check namespace and name in router-config. Nothing was changed.`,
    );
  }
  if (error.code === 403 || error.code === 401) {
    throw new UserFacingError(
      `The Kubernetes API refused to ${verb} ${what} (${error.code}: ${message}). The credentials need '${verb}' ` +
        `on ${resource} '${ref.name}' in namespace ${ref.namespace}; see the Role in the traffic README. Nothing was changed.`,
    );
  }
  throw new UserFacingError(`The Kubernetes API refused to ${verb} ${what} (${error.code}: ${message}).`);
}

function isApiFailure(error: unknown): error is ApiFailure {
  return typeof (error as { code?: unknown } | undefined)?.code === 'number';
}

function statusMessage(body: unknown): string | undefined {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function retryAfter(error: ApiFailure): number {
  const seconds = Number(error.headers?.['retry-after']);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : 500;
}

/**
 * A block-style `certificate-authority-data` or `client-certificate-data` line's base64: public certificates,
 * most of a kubeconfig's text, and more than half the time its YAML parse takes. They are cut to one character
 * before parsing; a value in any other form (quoted over lines, flow style) is parsed as it is.
 */
const PUBLIC_CERTIFICATE_DATA =
  /^([ \t]*(?:-[ \t]+)?["']?(?:certificate-authority-data|client-certificate-data)["']?[ \t]*:[ \t]*["']?)[A-Za-z0-9+/=]{64,}/gm;

/**
 * The secrets a kubeconfig holds (tokens, passwords, client keys), read without loading the client, so the
 * action can mask them before anything could print one.
 */
export function kubeconfigSecrets(environment: NodeJS.ProcessEnv = process.env): string[] {
  const paths = (environment.KUBECONFIG ?? join(homedir(), '.kube', 'config')).split(':').filter(Boolean);
  const secrets: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const document = parseKubeconfig(readFileSync(path, 'utf8'));
    for (const { user } of document?.users ?? []) secrets.push(...userSecrets(asRecord(user), dirname(path)));
  }
  return secrets.filter((secret) => secret.length > 0);
}

/** An exec plugin's environment variable whose name says it carries a credential. */
const SECRET_NAME = /token|secret|key|password|credential/i;

/**
 * One kubeconfig user's secrets: inline token, password and client key, the content of its token file, an
 * auth provider's tokens and client secret, and an exec plugin's credential-named environment values.
 */
function userSecrets(user: Record<string, unknown>, kubeconfigDirectory: string): string[] {
  const secrets: unknown[] = [user.token, user.password, user['client-key-data']];
  if (typeof user.tokenFile === 'string') {
    const tokenPath = resolve(kubeconfigDirectory, user.tokenFile);
    if (existsSync(tokenPath)) secrets.push(readFileSync(tokenPath, 'utf8').trim());
  }
  const providerConfig = asRecord(asRecord(user['auth-provider']).config);
  for (const [name, value] of Object.entries(providerConfig))
    if (/token|secret/i.test(name)) secrets.push(value);
  const execEnvironment = asRecord(user.exec).env;
  for (const variable of Array.isArray(execEnvironment) ? execEnvironment : []) {
    const { name, value } = asRecord(variable);
    if (typeof name === 'string' && SECRET_NAME.test(name)) secrets.push(value);
  }
  return secrets.filter((secret): secret is string => typeof secret === 'string');
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function parseKubeconfig(text: string): { users?: { user?: Record<string, unknown> }[] } | undefined {
  for (const candidate of [text.replace(PUBLIC_CERTIFICATE_DATA, '$1x'), text]) {
    try {
      return parseYaml(candidate) as ReturnType<typeof parseKubeconfig>;
    } catch {
      // the full text next; a kubeconfig that does not parse at all is the client's to report, when it loads it
    }
  }
  return undefined;
}
