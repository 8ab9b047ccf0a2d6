import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import { toJsonSchema } from '../github/json-schema';

/** Where the subset of Datadog's published OpenAPI description is registered with ajv. */
const DATADOG_SCHEMAS_ID = 'https://api.datadoghq.com/openapi.json';
const PATH = '/api/v1/query';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: { type: string; format?: string };
}

interface Description {
  paths: Record<string, { get: { parameters: Parameter[] } }>;
  components: { schemas: Record<string, unknown> };
}

type Point = [number, number | null];

export type DatadogFault =
  /** 429 with Datadog's rate-limit headers: X-RateLimit-Reset is the seconds until the window resets. */
  | { kind: 'rate-limit'; resetSeconds: number }
  | { kind: 'server-error' }
  /** 200 with `status: error`, as Datadog answers a query it cannot parse. */
  | { kind: 'query-error'; message: string };

export interface DatadogRequest {
  query: Record<string, string>;
  status: number;
  /** Violations of the published description; a request with any is answered 400. */
  violations: string[];
}

/**
 * Datadog's v1 metrics query API (GET /api/v1/query) on loopback. Requests are checked against the committed
 * subset of Datadog's OpenAPI description (parameters, the two API-key headers), and so is every answer before it
 * is sent. Tests put points under an exact query string; a query nobody put answers an empty series list, as
 * Datadog does for a query without data.
 */
export class DatadogFake {
  readonly requests: DatadogRequest[] = [];
  private readonly series = new Map<string, Point[]>();
  private readonly faults: { fault: DatadogFault; left: number }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly keys: { apiKey: string; appKey: string },
    private readonly validateResponse: ValidateFunction,
    private readonly validateError: ValidateFunction,
    private readonly parameters: Parameter[],
  ) {}

  static async start(
    keys = { apiKey: 'dd-api-key-0123456789abcdef', appKey: 'dd-app-key-fedcba9876543210' },
  ): Promise<DatadogFake> {
    const description = JSON.parse(
      readFileSync(new URL('./metrics-query-openapi.json', import.meta.url), 'utf8'),
    ) as Description;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(toJsonSchema(description, DATADOG_SCHEMAS_ID) as object, DATADOG_SCHEMAS_ID);
    const validator = (name: string) =>
      ajv.compile({ $ref: `${DATADOG_SCHEMAS_ID}#/components/schemas/${name}` });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const parameters = description.paths[PATH]?.get.parameters ?? [];
    const fake = new DatadogFake(
      server,
      `http://127.0.0.1:${port}`,
      keys,
      validator('MetricsQueryResponse'),
      validator('APIErrorResponse'),
      parameters,
    );
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      fake.serve(request, response),
    );
    return fake;
  }

  /** Points (epoch seconds, value or null) answered for exactly this query string. */
  put(query: string, points: Point[]): void {
    this.series.set(query, [...(this.series.get(query) ?? []), ...points]);
  }

  inject(fault: DatadogFault, times = 1): void {
    this.faults.push({ fault, left: times });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const violations =
      request.method === 'GET' && url.pathname === PATH
        ? this.violations(query)
        : [`no operation ${request.method} ${url.pathname}`];
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const validate = status === 200 ? this.validateResponse : this.validateError;
      if (!validate(body))
        throw new Error(
          `the Datadog fake answered outside the description: ${JSON.stringify(validate.errors)}`,
        );
      this.requests.push({ query, status, violations });
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (violations.length > 0) return send(400, { errors: violations });
    if (
      request.headers['dd-api-key'] !== this.keys.apiKey ||
      request.headers['dd-application-key'] !== this.keys.appKey
    ) {
      return send(403, { errors: ['Forbidden'] });
    }
    const armed = this.faults.find((entry) => entry.left > 0);
    if (armed) {
      armed.left -= 1;
      const { fault } = armed;
      if (fault.kind === 'rate-limit') {
        const reset = String(fault.resetSeconds);
        return send(
          429,
          { errors: ['Too many requests'] },
          {
            'x-ratelimit-limit': '100',
            'x-ratelimit-period': '10',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': reset,
            'x-ratelimit-name': 'query',
          },
        );
      }
      if (fault.kind === 'server-error') return send(500, { errors: ['Internal Server Error'] });
      return send(200, {
        status: 'error',
        error: fault.message,
        query: query.query,
        res_type: 'time_series',
        series: [],
      });
    }
    send(200, this.answer(query.query ?? '', Number(query.from), Number(query.to)));
  }

  private violations(query: Record<string, string>): string[] {
    const problems: string[] = [];
    for (const parameter of this.parameters) {
      const value = query[parameter.name];
      if (value === undefined) {
        if (parameter.required) problems.push(`${parameter.name} is required`);
      } else if (parameter.schema.type === 'integer' && !/^-?\d+$/.test(value)) {
        problems.push(`${parameter.name} must be an integer, got '${value}'`);
      }
    }
    const known = new Set(this.parameters.map((parameter) => parameter.name));
    for (const name of Object.keys(query)) if (!known.has(name)) problems.push(`${name} is not a parameter`);
    return problems;
  }

  private answer(query: string, from: number, to: number): unknown {
    const points = (this.series.get(query) ?? []).filter(([time]) => time >= from && time <= to);
    const series =
      points.length === 0
        ? []
        : [
            {
              aggr: null,
              expression: query,
              metric: query,
              scope: '*',
              display_name: query,
              pointlist: points.map(([time, value]) => [time * 1000, value]),
              start: from * 1000,
              end: to * 1000,
              length: points.length,
            },
          ];
    return {
      status: 'ok',
      res_type: 'time_series',
      query,
      from_date: from * 1000,
      to_date: to * 1000,
      series,
    };
  }
}
