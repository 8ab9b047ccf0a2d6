import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchFake } from './cloudwatch';
import { ElbFake } from './elbv2';
import { accessDenied, AwsServiceError, faultCode, IAM_PREFIX, type AwsFault } from './errors';
import { LambdaFake } from './lambda';
import { decodeQueryInput, encodeXml, escapeXml } from './query-protocol';
import { SageMakerFake } from './sagemaker';
import { loadServiceModel, validateShape, type Operation, type ServiceModel } from './service-model';
import { TEST_CREDENTIALS, verifySigV4 } from './sigv4';

/**
 * The wire protocol each pinned SDK client speaks (read from the clients at @aws-sdk 3.1142.0):
 * - SageMaker: AWS JSON 1.1 (`X-Amz-Target: SageMaker.<Operation>`);
 * - Lambda: REST-JSON (the operation is the method and path);
 * - ELBv2: AWS query (form-encoded `Action=…`, XML answers);
 * - CloudWatch: AWS JSON 1.0 with query compatibility (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`,
 *   errors also named in `x-amzn-query-error`). Debian's botocore model (2022) still says `query` for CloudWatch;
 *   its shapes are the same, so requests are validated against them whichever way they travel.
 * The key is the SigV4 signing name of the service.
 */
const SERVICES = {
  sagemaker: { model: ['sagemaker', '2017-07-24'], protocol: 'json', target: 'SageMaker', json: '1.1' },
  lambda: { model: ['lambda', '2015-03-31'], protocol: 'rest-json' },
  elasticloadbalancing: { model: ['elbv2', '2015-12-01'], protocol: 'query' },
  monitoring: {
    model: ['cloudwatch', '2010-08-01'],
    protocol: 'json',
    target: 'GraniteServiceVersion20100801',
    json: '1.0',
  },
} as const;
type ServiceName = keyof typeof SERVICES;

export interface AwsCall {
  service: string;
  operation: string;
  input: Record<string, unknown>;
  /** The error code answered, when the call failed. */
  error?: string;
}

interface ParsedCall {
  operation: Operation;
  input: Record<string, unknown>;
}

/**
 * One loopback server standing in for SageMaker, Lambda, ELBv2 and CloudWatch. Each request must carry a valid
 * SigV4 signature made with {@link TEST_CREDENTIALS} for the fake's region, and its input must satisfy the
 * botocore model of its operation (a violation answers the service's validation error and is kept in
 * `rejected`). Tests arm faults per operation and read the calls made.
 */
export class AwsFake {
  readonly sagemaker: SageMakerFake;
  readonly lambda: LambdaFake;
  readonly elbv2: ElbFake;
  readonly cloudwatch: CloudWatchFake;
  readonly calls: AwsCall[] = [];
  /** Called after every call the fake answered (failed ones too), e.g. to record what the platform serves. */
  onCall?: (call: AwsCall) => void;
  readonly rejected: { operation: string; problems: string[] }[] = [];
  private readonly faults: { operation: string; fault: AwsFault; left: number }[] = [];
  private readonly denied = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly region: string,
  ) {
    this.sagemaker = new SageMakerFake(region);
    this.lambda = new LambdaFake(region);
    this.elbv2 = new ElbFake(region);
    this.cloudwatch = new CloudWatchFake();
  }

  static async start(region = 'eu-west-1'): Promise<AwsFake> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new AwsFake(server, `http://127.0.0.1:${port}`, region);
    server.on(
      'request',
      (request: IncomingMessage, response: ServerResponse) => void fake.serve(request, response),
    );
    return fake;
  }

  /**
   * Starts a fake and points this process's environment at it (for SDK clients made in-process); `close()` puts
   * back every variable of {@link env} as it was.
   */
  static async startInEnv(region = 'eu-west-1'): Promise<AwsFake> {
    const fake = await AwsFake.start(region);
    const saved = Object.fromEntries(Object.keys(fake.env()).map((name) => [name, process.env[name]]));
    Object.assign(process.env, fake.env());
    fake.restoreEnv = () => {
      // Reflect.deleteProperty: an unset variable must be absent again, not the string 'undefined'.
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
    };
    return fake;
  }

  private restoreEnv = () => {};

  /** The environment that points the SDK's default chains (credentials, region, endpoints) at this fake. */
  env(): Record<string, string> {
    return {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_REGION: this.region,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_SAGEMAKER: this.url,
      AWS_ENDPOINT_URL_LAMBDA: this.url,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: this.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: this.url,
    };
  }

  /** The next `times` calls of `operation` ('*' for any) fail with `fault`. */
  inject(operation: string, fault: AwsFault, times = 1): void {
    this.faults.push({ operation, fault, left: times });
  }

  /** IAM denies this action (e.g. `sagemaker:UpdateEndpointWeightsAndCapacities`) until the test ends. */
  deny(iamAction: string): void {
    this.denied.add(iamAction);
  }

  /** Calls of `operation` that reached the service, failed ones included. */
  callsOf(operation: string): AwsCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  async close(): Promise<void> {
    this.restoreEnv();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const verdict = verifySigV4(
      { method: request.method ?? 'GET', rawUrl: request.url ?? '/', headers: request.headers, body },
      { [TEST_CREDENTIALS.accessKeyId]: TEST_CREDENTIALS.secretAccessKey },
    );
    const service = (verdict.ok ? verdict.service : guessService(request)) as ServiceName;
    if (!(service in SERVICES)) return sendRaw(response, 400, 'text/plain', `unknown service ${service}`);
    let operationName = 'Unknown';
    try {
      if (!verdict.ok) throw new AwsServiceError(verdict.code, verdict.message, 403);
      if (verdict.region !== this.region) {
        throw new AwsServiceError(
          'InvalidSignatureException',
          `Credential should be scoped to a valid region, not '${verdict.region}'.`,
          403,
        );
      }
      const call = parseCall(service, request, body);
      operationName = call.operation.name;
      const fault = this.takeFault(operationName);
      if (fault?.kind === 'hang') {
        this.record({ service, operation: operationName, input: call.input, error: 'NoAnswer' });
        if (!(await heldUntilAnswered(fault.ms, request, response))) return;
      }
      if (fault?.kind === 'meanwhile') fault.change();
      const output = this.dispatch(service, call, fault);
      this.record({ service, operation: operationName, input: call.input });
      reply(service, response, call.operation, output);
    } catch (error) {
      const failure =
        error instanceof AwsServiceError ? error : new AwsServiceError('InternalFailure', String(error), 500);
      this.record({ service, operation: operationName, input: {}, error: failure.code });
      replyError(service, response, failure);
    }
  }

  private record(call: AwsCall): void {
    this.calls.push(call);
    this.onCall?.(call);
  }

  private dispatch(service: ServiceName, call: ParsedCall, fault: AwsFault | undefined): unknown {
    const { operation, input } = call;
    const model = modelOf(service);
    const problems = operation.input ? validateShape(model, operation.input.shape, input) : [];
    if (problems.length > 0) {
      this.rejected.push({ operation: operation.name, problems });
      const code =
        service === 'elasticloadbalancing'
          ? 'ValidationError'
          : service === 'lambda'
            ? 'InvalidParameterValueException'
            : 'ValidationException';
      throw new AwsServiceError(
        code,
        `${problems.length} validation error(s) detected: ${problems.join('; ')}`,
      );
    }
    this.answerFault(service, operation.name, input, fault);
    const output = this.handler(service).handle(operation.name, input);
    const outputProblems = operation.output ? validateShape(model, operation.output.shape, output) : [];
    if (outputProblems.length > 0)
      throw new Error(`the fake answered outside the model: ${outputProblems.join('; ')}`);
    return output;
  }

  private handler(service: ServiceName): {
    handle(operation: string, input: Record<string, unknown>): unknown;
  } {
    return {
      sagemaker: this.sagemaker,
      lambda: this.lambda,
      elasticloadbalancing: this.elbv2,
      monitoring: this.cloudwatch,
    }[service];
  }

  /** The next armed fault for `operation`, counted as used. */
  private takeFault(operation: string): AwsFault | undefined {
    const armed = this.faults.find(
      (entry) => entry.left > 0 && (entry.operation === operation || entry.operation === '*'),
    );
    if (!armed) return undefined;
    armed.left -= 1;
    return armed.fault;
  }

  private answerFault(
    service: ServiceName,
    operation: string,
    input: Record<string, unknown>,
    fault: AwsFault | undefined,
  ): void {
    const action = `${IAM_PREFIX[service]}:${operation}`;
    if (this.denied.has(action)) throw accessDenied(service, operation, resourceOf(input));
    if (fault === undefined || fault.kind === 'meanwhile' || fault.kind === 'hang') return;
    if (fault.kind === 'access-denied') throw accessDenied(service, operation, resourceOf(input));
    const { code, status } = faultCode(service, fault.kind);
    const headers: Record<string, string> =
      fault.kind === 'throttle' && fault.retryAfterSeconds !== undefined
        ? { 'retry-after': String(fault.retryAfterSeconds) }
        : {};
    throw new AwsServiceError(
      code,
      fault.kind === 'throttle' ? 'Rate exceeded' : `injected ${fault.kind}`,
      status,
      headers,
    );
  }
}

/** Waits `ms`; true when the client is still waiting for the answer, false when it gave up meanwhile. */
async function heldUntilAnswered(
  ms: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return !(response.destroyed || request.socket.destroyed);
}

function modelOf(service: ServiceName): ServiceModel {
  const [name, version] = SERVICES[service].model;
  return loadServiceModel(name, version);
}

function parseCall(service: ServiceName, request: IncomingMessage, body: Buffer): ParsedCall {
  const spec = SERVICES[service];
  const model = modelOf(service);
  if (spec.protocol === 'json') {
    const [prefix, name = ''] = String(request.headers['x-amz-target'] ?? '').split('.');
    const operation = model.operations[name];
    if (prefix !== spec.target || !operation)
      throw new AwsServiceError(
        'UnknownOperationException',
        `Unknown X-Amz-Target ${request.headers['x-amz-target']}`,
      );
    if (request.headers['content-type'] !== `application/x-amz-json-${spec.json}`) {
      throw new AwsServiceError(
        'SerializationException',
        `Content-Type must be application/x-amz-json-${spec.json}`,
      );
    }
    return { operation, input: parseJson(body) };
  }
  if (spec.protocol === 'query') {
    const form = new URLSearchParams(body.toString('utf8'));
    const operation = model.operations[form.get('Action') ?? ''];
    if (!operation)
      throw new AwsServiceError('InvalidAction', `Could not find operation ${form.get('Action')}`);
    if (form.get('Version') !== model.metadata.apiVersion)
      throw new AwsServiceError('InvalidParameterValue', `Version must be ${model.metadata.apiVersion}`);
    return {
      operation,
      input: decodeQueryInput(model, operation.input?.shape ?? '', form) as Record<string, unknown>,
    };
  }
  return parseRestJson(model, request, body);
}

function parseRestJson(model: ServiceModel, request: IncomingMessage, body: Buffer): ParsedCall {
  const url = new URL(request.url ?? '/', 'http://fake');
  for (const operation of Object.values(model.operations)) {
    if (operation.http.method !== request.method) continue;
    const labels = matchTemplate(operation.http.requestUri.split('?')[0] ?? '', url.pathname);
    if (!labels) continue;
    const members = model.shapes[operation.input?.shape ?? '']?.members ?? {};
    const input: Record<string, unknown> = body.length > 0 ? parseJson(body) : {};
    for (const [name, member] of Object.entries(members)) {
      if (member.location === 'uri') input[name] = labels[member.locationName ?? name];
      if (member.location === 'querystring' && url.searchParams.has(member.locationName ?? name)) {
        input[name] = url.searchParams.get(member.locationName ?? name);
      }
    }
    return { operation, input };
  }
  throw new AwsServiceError(
    'UnknownOperationException',
    `No Lambda operation at ${request.method} ${url.pathname}`,
    404,
  );
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    return JSON.parse(body.length === 0 ? '{}' : body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new AwsServiceError('SerializationException', 'The request body is not JSON');
  }
}

function reply(service: ServiceName, response: ServerResponse, operation: Operation, output: unknown): void {
  const spec = SERVICES[service];
  if (spec.protocol === 'json')
    return sendRaw(response, 200, `application/x-amz-json-${spec.json}`, JSON.stringify(output));
  if (spec.protocol === 'rest-json')
    return sendRaw(response, operation.http.responseCode ?? 200, 'application/json', JSON.stringify(output));
  const model = modelOf(service);
  const wrapper = operation.output?.resultWrapper ?? `${operation.name}Result`;
  const result = operation.output ? encodeXml(model, operation.output.shape, output, wrapper) : '';
  const xml = `<${operation.name}Response xmlns="${model.metadata.xmlNamespace}">${result}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${operation.name}Response>`;
  sendRaw(response, 200, 'text/xml', xml);
}

function replyError(service: ServiceName, response: ServerResponse, error: AwsServiceError): void {
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  const spec = SERVICES[service];
  if (spec.protocol === 'query') {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    const xml = `<ErrorResponse xmlns="${modelOf(service).metadata.xmlNamespace}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    return sendRaw(response, error.status, 'text/xml', xml);
  }
  response.setHeader('x-amzn-errortype', error.code);
  if (service === 'monitoring')
    response.setHeader('x-amzn-query-error', `${error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}`);
  const type = spec.protocol === 'json' ? `com.amazonaws.${spec.model[0]}#${error.code}` : error.code;
  const contentType = spec.protocol === 'json' ? `application/x-amz-json-${spec.json}` : 'application/json';
  sendRaw(response, error.status, contentType, JSON.stringify({ __type: type, message: error.message }));
}

function sendRaw(response: ServerResponse, status: number, contentType: string, text: string): void {
  response.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });
  response.end(text);
}

/** When the signature cannot be read, the service is told by the request's shape, to answer in its protocol. */
function guessService(request: IncomingMessage): string {
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target.startsWith('SageMaker.')) return 'sagemaker';
  if (target.startsWith('GraniteServiceVersion20100801.')) return 'monitoring';
  if ((request.url ?? '').startsWith('/2015-03-31/')) return 'lambda';
  return 'elasticloadbalancing';
}

function resourceOf(input: Record<string, unknown>): string {
  const named =
    input.EndpointName ??
    input.FunctionName ??
    input.ListenerArn ??
    input.RuleArn ??
    input.ListenerArns ??
    input.RuleArns;
  return named === undefined ? '*' : String(named);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
