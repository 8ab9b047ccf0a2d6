import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A backend that answers every request with its version as plain text, so a proxy's routing can be counted. */
export interface VersionServer {
  readonly version: string;
  /** 127.0.0.1:<port>, the form an nginx `server` line wants. */
  readonly address: string;
  /** Requests answered so far. */
  readonly hits: () => number;
  close(): Promise<void>;
}

export async function startVersionServer(version: string): Promise<VersionServer> {
  let hits = 0;
  const server = createServer((request, response) => {
    request.resume();
    hits += 1;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(version);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    version,
    address: `127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sends `count` GET requests to `url`, a few at a time, and counts the answers by body (the version that served
 * them). `headersFor` lets each request carry its own headers, e.g. a user id. Non-2xx answers count under
 * `HTTP <status>` so a test sees them instead of a silently smaller tally. Each request opens its own
 * connection: a pooled keep-alive connection would still be bound to a worker from before an nginx reload.
 */
export async function tallyVersions(
  url: string,
  count: number,
  headersFor: (request: number) => Record<string, string> = () => ({}),
  concurrency = 8,
): Promise<{ tally: Record<string, number>; byRequest: string[] }> {
  const byRequest = new Array<string>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const request = next++;
      const { status, body } = await get(url, headersFor(request));
      byRequest[request] = status >= 200 && status < 300 ? body : `HTTP ${status}`;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const tally: Record<string, number> = {};
  for (const answer of byRequest) tally[answer] = (tally[answer] ?? 0) + 1;
  return { tally, byRequest };
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(url, { headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    call.on('error', reject);
    call.end();
  });
}

/**
 * How many requests `server` answered since it had answered `start`, once it has answered `count` more (or
 * `timeoutMs` passed) and a moment longer, so a surplus shows too. For copies nginx's `mirror` sends after the
 * client's answer.
 */
export async function hitsSince(
  server: VersionServer,
  start: number,
  count: number,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (server.hits() - start < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  return server.hits() - start;
}
