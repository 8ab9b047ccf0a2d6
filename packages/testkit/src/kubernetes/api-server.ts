import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { selfSignedCertificate } from '../certificate';
import { applyJsonPatch, applyMergePatch, PatchError } from './patch';
import {
  apiVersionOf,
  qualifiedResource,
  RESOURCE_KINDS,
  type KubeObject,
  type ResourceKind,
} from './resources';
import { statusBody, type KubeStatus } from './status';

export type { KubeObject } from './resources';

/** What the fake answers instead of serving a request: an error status, or the real answer but late. */
export interface KubernetesFault {
  /** Only requests with this method (default any). */
  method?: 'GET' | 'PATCH' | 'PUT';
  /** 429, 500, 503, …; omitted with `delayMs` for a slow but correct answer. */
  status?: number;
  /** Seconds, sent as `Retry-After` (429 and 503 carry it on a real server). */
  retryAfter?: number;
  delayMs?: number;
  /** Serve the request first, then answer the fault: a change made whose answer was lost. */
  afterActing?: boolean;
  /** Runs when the fault hits, before the request is served: another writer racing this request. */
  meanwhile?: (fake: KubernetesApiFake) => void;
  /** How many matching requests it hits (default 1). */
  times?: number;
}

/** A permission the service account lacks: answered 403 in the API server's own words. */
export interface DeniedPermission {
  verb: 'get' | 'patch' | 'update';
  /** The resource's plural, e.g. `httproutes`. */
  resource: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  contentType?: string;
  status: number;
  body?: unknown;
}

interface StoredObject {
  kind: ResourceKind;
  object: KubeObject;
}

/**
 * A loopback Kubernetes API server for the official client (`@kubernetes/client-node`), reached through the
 * kubeconfig it writes (https with its own CA, a bearer token). It serves namespaced objects of the kinds in
 * RESOURCE_KINDS: GET, PATCH (JSON patch, merge patch, server-side apply as a merge whose lists are atomic)
 * and PUT, on the object and its `status` subresource. Every body it would store is checked by the official
 * `kubernetes-models` validators; `resourceVersion` moves on every change and a stale one is answered 409;
 * `metadata.generation` moves when the spec does. No discovery, watch, list or strategic merge (415, as for
 * custom resources). Faults: 403 per verb and resource, and queued 429/500/slow answers.
 */
export class KubernetesApiFake {
  readonly requests: RecordedRequest[] = [];
  /** Called after every change of an object's spec, as a controller would be: e.g. to set its status. */
  onSpecChange?: (object: KubeObject, fake: KubernetesApiFake) => void | Promise<void>;
  private readonly objects = new Map<string, StoredObject>();
  private readonly faults: KubernetesFault[] = [];
  private readonly denied: DeniedPermission[] = [];
  private revision = 100;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** A kubeconfig whose current context reaches this server; point KUBECONFIG at it. */
    readonly kubeconfigPath: string,
    readonly token: string,
    readonly user: string,
  ) {}

  static async start(options: { user?: string } = {}): Promise<KubernetesApiFake> {
    const certificate = selfSignedCertificate();
    const token = `fake-token-${Math.random().toString(36).slice(2)}`;
    const user = options.user ?? 'system:serviceaccount:ci:deployer';
    // The handler needs the fake, which needs the server's port: the server is made first, the fake set after.
    const started: { fake?: KubernetesApiFake } = {};
    const server = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
      void started.fake?.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const kubeconfigPath = writeKubeconfig(url, certificate.cert, token);
    started.fake = new KubernetesApiFake(server, url, kubeconfigPath, token, user);
    return started.fake;
  }

  /** Creates or replaces an object as an admin would (validated; new resourceVersion, generation 1). */
  put(object: KubeObject): KubeObject {
    const kind = kindForObject(object);
    kind.validate(object);
    const stored = structuredClone(object);
    stored.metadata.generation = 1;
    stored.metadata.resourceVersion = this.nextRevision();
    this.objects.set(keyOf(kind.plural, stored.metadata.namespace ?? 'default', stored.metadata.name), {
      kind,
      object: stored,
    });
    return structuredClone(stored);
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    const stored = this.objects.get(keyOf(resource, namespace, name));
    return stored && structuredClone(stored.object);
  }

  /** Sets an object's status as its controller would, through the status subresource's rules. */
  setStatus(resource: string, namespace: string, name: string, status: unknown): void {
    const stored = this.objects.get(keyOf(resource, namespace, name));
    if (!stored) throw new Error(`no ${resource} ${namespace}/${name} to set the status of`);
    const next = { ...structuredClone(stored.object), status };
    stored.kind.validate(next);
    next.metadata.resourceVersion = this.nextRevision();
    stored.object = next;
  }

  inject(fault: KubernetesFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Forgets queued faults, denied permissions, the controller hook and the request log. */
  reset(): void {
    this.faults.length = 0;
    this.denied.length = 0;
    this.requests.length = 0;
    this.onSpecChange = undefined;
  }

  deny(permission: DeniedPermission): void {
    this.denied.push(permission);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextRevision(): string {
    this.revision += 1;
    return String(this.revision);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const record: RecordedRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      contentType: request.headers['content-type'],
      status: 0,
    };
    this.requests.push(record);
    const reply = await this.answer(request, body).catch((error: unknown) =>
      error instanceof StatusReply
        ? error.reply
        : { status: 500, body: statusBody(500, 'InternalError', String(error)) },
    );
    record.status = reply.status;
    record.body = reply.body;
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(JSON.stringify(reply.body));
  }

  private async answer(request: IncomingMessage, body: string): Promise<Reply> {
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: statusBody(401, 'Unauthorized', 'Unauthorized') };
    }
    const fault = this.takeFault(request.method ?? '');
    if (fault && !fault.afterActing) {
      const faulted = await this.faultReply(fault);
      if (faulted) return faulted;
    }
    const target = parseTarget(new URL(request.url ?? '/', this.url));
    const verb = verbOf(request.method ?? '');
    this.checkPermission(verb, target);
    const served = verb === 'get' ? this.load(target).object : this.write(target, verb, request, body);
    return (fault?.afterActing && (await this.faultReply(fault))) || { status: 200, body: served };
  }

  private takeFault(method: string): KubernetesFault | undefined {
    const fault = this.faults.find((candidate) => !candidate.method || candidate.method === method);
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private async faultReply(fault: KubernetesFault): Promise<Reply | undefined> {
    if (fault.delayMs) await sleep(fault.delayMs);
    fault.meanwhile?.(this);
    if (fault.status === undefined) return undefined;
    const reason = fault.status === 429 ? 'TooManyRequests' : 'InternalError';
    const message =
      fault.status === 429
        ? 'the server has received too many requests and has asked us to try again later'
        : 'an error on the server ("injected") has prevented the request from succeeding';
    return {
      status: fault.status,
      headers: fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) },
      body: statusBody(fault.status, reason, message),
    };
  }

  private checkPermission(verb: DeniedPermission['verb'], target: Target): void {
    const resource = target.subresource ? `${target.kind.plural}/${target.subresource}` : target.kind.plural;
    if (!this.denied.some((denied) => denied.verb === verb && denied.resource === resource)) return;
    const group = target.kind.group === '' ? '""' : `"${target.kind.group}"`;
    throw new StatusReply(
      403,
      'Forbidden',
      `${qualifiedResource(target.kind)} "${target.name}" is forbidden: User "${this.user}" cannot ${verb} ` +
        `resource "${resource}" in API group ${group} in the namespace "${target.namespace}"`,
      target,
    );
  }

  private load(target: Target): StoredObject {
    const stored = this.objects.get(keyOf(target.kind.plural, target.namespace, target.name));
    if (!stored) {
      throw new StatusReply(
        404,
        'NotFound',
        `${qualifiedResource(target.kind)} "${target.name}" not found`,
        target,
      );
    }
    return stored;
  }

  private write(
    target: Target,
    verb: DeniedPermission['verb'],
    request: IncomingMessage,
    body: string,
  ): KubeObject {
    const stored = this.load(target);
    const current = stored.object;
    const next = changed(current, verb, request, body, target);
    checkIdentity(current, next, target);
    const precondition = next.metadata.resourceVersion;
    if (precondition !== undefined && precondition !== current.metadata.resourceVersion) {
      throw new StatusReply(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(target.kind)} "${target.name}": the object has been ` +
          'modified; please apply your changes to the latest version and try again',
        target,
      );
    }
    // The status subresource and the object guard each other's half, as for any custom resource with status.
    if (target.subresource === 'status') next.spec = current.spec;
    else next.status = current.status;
    next.metadata = {
      ...next.metadata,
      generation: current.metadata.generation,
      resourceVersion: current.metadata.resourceVersion,
    };
    validateOrReject(stored.kind, next, target);
    if (JSON.stringify(next) === JSON.stringify(current)) return structuredClone(current);
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
    if (specChanged) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    next.metadata.resourceVersion = this.nextRevision();
    stored.object = next;
    if (specChanged) void this.onSpecChange?.(structuredClone(next), this);
    return structuredClone(next);
  }
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

class StatusReply extends Error {
  readonly reply: Reply;
  constructor(status: number, reason: string, message: string, target?: Target) {
    super(message);
    const details = target && { name: target.name, group: target.kind.group, kind: target.kind.plural };
    this.reply = { status, body: statusBody(status, reason, message, details) };
  }
}

interface Target {
  kind: ResourceKind;
  namespace: string;
  name: string;
  subresource?: 'status';
}

/** `/api/v1/namespaces/<ns>/<plural>/<name>[/status]` or `/apis/<group>/<version>/namespaces/…`. */
function parseTarget(url: URL): Target {
  const match =
    /^\/(?:api\/(?<coreVersion>[^/]+)|apis\/(?<group>[^/]+)\/(?<version>[^/]+))\/namespaces\/(?<namespace>[^/]+)\/(?<plural>[^/]+)\/(?<name>[^/]+)(?:\/(?<subresource>status))?$/.exec(
      url.pathname,
    );
  const groups = match?.groups;
  const group = groups?.group ?? '';
  const version = groups?.coreVersion ?? groups?.version;
  const kind = RESOURCE_KINDS.find(
    (candidate) =>
      candidate.group === group && candidate.version === version && candidate.plural === groups?.plural,
  );
  if (!groups || !kind)
    throw new StatusReply(404, 'NotFound', 'the server could not find the requested resource');
  return {
    kind,
    namespace: decodeURIComponent(groups.namespace ?? ''),
    name: decodeURIComponent(groups.name ?? ''),
    ...(groups.subresource ? { subresource: 'status' as const } : {}),
  };
}

function verbOf(method: string): DeniedPermission['verb'] {
  if (method === 'GET') return 'get';
  if (method === 'PATCH') return 'patch';
  if (method === 'PUT') return 'update';
  throw new StatusReply(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource`,
  );
}

const PATCH_TYPES = 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

/** The object the request asks for, before any precondition or validation. */
function changed(
  current: KubeObject,
  verb: DeniedPermission['verb'],
  request: IncomingMessage,
  body: string,
  target: Target,
): KubeObject {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
  try {
    if (verb === 'update') return parseJsonBody(body) as KubeObject;
    if (type === 'application/json-patch+json')
      return applyJsonPatch(current, parseJsonBody(body)) as KubeObject;
    if (type === 'application/merge-patch+json')
      return applyMergePatch(current, parseJsonBody(body)) as KubeObject;
    if (type === 'application/apply-patch+yaml') return serverSideApply(current, request, body);
  } catch (error) {
    if (error instanceof PatchError)
      throw new StatusReply(
        error.status,
        error.status === 400 ? 'BadRequest' : 'Invalid',
        error.message,
        target,
      );
    throw error;
  }
  throw new StatusReply(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES}`,
  );
}

/**
 * Server-side apply as far as the routers need it: the applied configuration is merged in, lists replaced
 * whole (atomic). Field ownership and its conflicts are not modelled. A fieldManager is required, as on a real
 * server.
 */
function serverSideApply(current: KubeObject, request: IncomingMessage, body: string): KubeObject {
  const fieldManager = new URL(request.url ?? '/', 'https://x').searchParams.get('fieldManager');
  if (!fieldManager) throw new PatchError(400, 'PATCH /apply requires a non-empty fieldManager parameter');
  let applied: unknown;
  try {
    applied = parseYaml(body);
  } catch (error) {
    throw new PatchError(400, `error decoding YAML: ${(error as Error).message}`);
  }
  const withoutNulls = JSON.parse(
    JSON.stringify(applied, (_key, value: unknown) => value ?? undefined),
  ) as unknown;
  return applyMergePatch(current, withoutNulls) as KubeObject;
}

function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new PatchError(400, `error decoding patch: ${(error as Error).message}`);
  }
}

function checkIdentity(current: KubeObject, next: KubeObject, target: Target): void {
  const same =
    next.apiVersion === current.apiVersion &&
    next.kind === current.kind &&
    next.metadata?.name === current.metadata.name &&
    (next.metadata?.namespace ?? current.metadata.namespace) === current.metadata.namespace;
  if (!same) {
    throw new StatusReply(
      400,
      'BadRequest',
      'the name, namespace, kind and apiVersion of an object cannot change',
      target,
    );
  }
}

function validateOrReject(kind: ResourceKind, object: KubeObject, target: Target): void {
  try {
    kind.validate(object);
  } catch (error) {
    throw new StatusReply(
      422,
      'Invalid',
      `${kind.kind}.${kind.group} "${target.name}" is invalid: ${(error as Error).message}`,
      target,
    );
  }
}

function kindForObject(object: KubeObject): ResourceKind {
  const kind = RESOURCE_KINDS.find(
    (candidate) => apiVersionOf(candidate) === object.apiVersion && candidate.kind === object.kind,
  );
  if (!kind) throw new Error(`the Kubernetes fake does not serve ${object.apiVersion} ${object.kind}`);
  return kind;
}

function keyOf(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A kubeconfig with one cluster (this server, trusting its CA), one token user and one current context. */
function writeKubeconfig(server: string, caCertificate: string, token: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  const path = join(folder, 'config');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'fake',
        cluster: { server, 'certificate-authority-data': Buffer.from(caCertificate).toString('base64') },
      },
    ],
    users: [{ name: 'deployer', user: { token } }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'deployer', namespace: 'default' } }],
    'current-context': 'fake',
  };
  writeFileSync(path, stringifyYaml(config), { mode: 0o600 });
  return path;
}

export type { KubeStatus };
