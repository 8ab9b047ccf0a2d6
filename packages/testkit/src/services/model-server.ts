import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';

/** Seconds a request takes, given its sequence number (0, 1, 2...). */
export type LatencyProfile = (request: number) => number;

export function fixedLatency(seconds: number): LatencyProfile {
  return () => seconds;
}

/**
 * Latencies spread evenly over [minSeconds, maxSeconds] in a fixed, well-mixed order (a golden-ratio
 * sequence): reproducible like a seeded generator, and any run of requests covers the range evenly,
 * so quantiles are predictable from the count alone.
 */
export function uniformLatency(minSeconds: number, maxSeconds: number): LatencyProfile {
  const goldenFraction = (Math.sqrt(5) - 1) / 2;
  return (request) => minSeconds + (maxSeconds - minSeconds) * ((request * goldenFraction) % 1);
}

export interface ModelBehaviour {
  /** Share of requests answered with HTTP 500, spread evenly: 0.25 fails exactly every 4th request. */
  errorRate: number;
  latency: LatencyProfile;
}

export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export interface ModelServerOptions extends Partial<ModelBehaviour> {
  /** The value of the `version` label on every metric. */
  version: string;
}

export interface ModelServer {
  readonly version: string;
  /** http://127.0.0.1:<port>; predictions are served at /predict and metrics at /metrics. */
  readonly url: string;
  /** 127.0.0.1:<port>, the form a Prometheus scrape config wants. */
  readonly target: string;
  /** Requests answered so far, by HTTP status. */
  readonly answered: { readonly ok: number; readonly errors: number };
  /** Changes how later requests are answered, e.g. a canary that starts failing half-way. */
  setBehaviour(change: Partial<ModelBehaviour>): void;
  close(): Promise<void>;
}

/**
 * A stand-in model server on loopback. It exports `requests_total{version,code}` and
 * `request_duration_seconds{version}` in the Prometheus text format; the histogram records the simulated
 * latency rather than the measured one, so bucket counts are exact whatever the machine's load.
 */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const behaviour: ModelBehaviour = {
    errorRate: options.errorRate ?? 0,
    latency: options.latency ?? fixedLatency(0.005),
  };
  const { registry, requests, duration } = versionMetrics(options.version);

  const answered = { ok: 0, errors: 0 };
  let sequence = 0;

  const predict = (response: ServerResponse) => {
    const request = sequence;
    sequence += 1;
    const fails = Math.floor((request + 1) * behaviour.errorRate) > Math.floor(request * behaviour.errorRate);
    const seconds = behaviour.latency(request);
    setTimeout(() => {
      const code = fails ? 500 : 200;
      requests.inc({ version: options.version, code: String(code) });
      duration.observe({ version: options.version }, seconds);
      if (fails) answered.errors += 1;
      else answered.ok += 1;
      response.writeHead(code, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ version: options.version, items: fails ? [] : [42, 7, 1] }));
    }, seconds * 1000);
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    if (request.url === '/metrics') {
      void registry.metrics().then((text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(text);
      });
    } else if (request.url === '/predict') {
      predict(response);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    version: options.version,
    url: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    answered,
    setBehaviour: (change) => Object.assign(behaviour, change),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The registry a stand-in model server exposes on /metrics, with its series zeroed for `version`. */
function versionMetrics(version: string) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'requests_total',
    help: 'Prediction requests answered, by model version and HTTP status.',
    labelNames: ['version', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'request_duration_seconds',
    help: 'Prediction latency by model version.',
    labelNames: ['version'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  // Series that exist from the first scrape at 0 let increase() count the very first requests.
  for (const code of ['200', '500']) requests.inc({ version: version, code }, 0);
  duration.zero({ version: version });
  return { registry, requests, duration };
}
