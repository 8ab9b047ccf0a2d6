import { rejectionOf } from '@recsys-actions/testkit';
import {
  MetricSourceError,
  configureMetricSource,
  metricSourceCredentials,
  openMetricSource,
  type MetricSource,
  type SeriesQuery,
  type SourceCredentials,
} from '../src/index';
import { startHttpStub, type StubAnswer } from './http-stub';

// The protocol side of the Prometheus source against a stub that records requests and answers on cue;
// prometheus-real.test.ts runs the same source against a real Prometheus.

const START = 1_700_000_000;
const query: SeriesQuery = {
  expression: 'sum(increase(requests_total{version="{{version}}",code=~"5.."}[{{interval}}]))',
  aggregation: 'sum',
  role: 'canary',
  version: 'v2',
  environment: 'prod',
};
const secondWindow = { index: 1, startSeconds: 60, endSeconds: 120 };

let next: StubAnswer;
const stub = await startHttpStub(() => next);
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

function success(data: unknown): StubAnswer {
  return { status: 200, body: JSON.stringify({ status: 'success', data }) };
}

function vector(...values: string[]): StubAnswer {
  return success({
    resultType: 'vector',
    result: values.map((value, i) => ({ metric: { instance: `pod-${i}` }, value: [START + 120, value] })),
  });
}

async function source(extra: SourceCredentials & Record<string, unknown> = {}): Promise<MetricSource> {
  const { bearerToken, basicAuth, ...fields } = extra;
  const config = configureMetricSource(
    { source: 'prometheus', address: stub.url, ...fields },
    {
      name: 'metrics',
      workspace: process.cwd(),
      startSeconds: START,
      credentials: { bearerToken, basicAuth },
    },
  );
  expect(metricSourceCredentials(config)).toEqual([bearerToken, basicAuth?.password].filter(Boolean));
  return openMetricSource(config);
}

const failure = (read: Promise<unknown>) => rejectionOf(read, MetricSourceError);

describe('Prometheus source, HTTP protocol', () => {
  it('POSTs the rendered query at start + window end to <address>/api/v1/query', async () => {
    next = vector('3');
    const prometheus = await source({ address: `${stub.url}/prometheus/` });
    expect(prometheus.realtime).toBe(true);
    expect(await prometheus.read(query, secondWindow)).toBe(3);
    const [request] = stub.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/prometheus/api/v1/query');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      query: 'sum(increase(requests_total{version="v2",code=~"5.."}[60s]))',
      time: String(START + 120),
    });
  });

  it('sends a bearer token, basic auth and extra headers when configured', async () => {
    next = vector('1');
    await (
      await source({ bearerToken: 'tok-123', headers: { 'X-Scope-OrgID': 'team-a' } })
    ).read(query, secondWindow);
    await (await source({ basicAuth: { username: 'reader', password: 'pw-456' } })).read(query, secondWindow);
    await (await source()).read(query, secondWindow);
    const [bearer, basic, anonymous] = stub.requests;
    expect(bearer?.headers.authorization).toBe('Bearer tok-123');
    expect(bearer?.headers['x-scope-orgid']).toBe('team-a');
    expect(basic?.headers.authorization).toBe(`Basic ${Buffer.from('reader:pw-456').toString('base64')}`);
    expect(anonymous?.headers.authorization).toBeUndefined();
  });

  it.each([
    ['an empty vector as no data', vector(), undefined],
    ['NaN as NaN, for the caller to judge', vector('NaN'), Number.NaN],
    ['+Inf as infinity', vector('+Inf'), Infinity],
    ['a scalar as its value', success({ resultType: 'scalar', result: [START, '0.25'] }), 0.25],
  ])('reads %s', async (_name, answer, expected) => {
    next = answer;
    expect(await (await source()).read(query, secondWindow)).toBe(expected);
  });

  it('asks for aggregation when the query returns several series', async () => {
    next = vector('1', '2');
    const error = await failure((await source()).read(query, secondWindow));
    expect(error.failure).toBe('not-a-single-value');
    expect(error.message).toMatch(
      /returned 2 series \(the first is \{instance="pod-0"\}\).*aggregate.*sum\(/,
    );
  });

  it('rejects a range vector, suggesting a function over it', async () => {
    next = success({ resultType: 'matrix', result: [{ metric: {}, values: [[START, '1']] }] });
    const error = await failure((await source()).read(query, secondWindow));
    expect(error.failure).toBe('not-a-single-value');
    expect(error.message).toMatch(/returned a range vector; wrap it in a function such as sum\(increase/);
  });

  it("carries Prometheus's errorType, error and HTTP status", async () => {
    next = {
      status: 422,
      body: JSON.stringify({
        status: 'error',
        errorType: 'execution',
        error: 'query processing would load too many samples',
      }),
    };
    const error = await failure((await source()).read(query, secondWindow));
    expect(error).toMatchObject({
      failure: 'provider-error',
      details: { httpStatus: 422, errorType: 'execution' },
    });
    expect(error.message).toContain('execution: query processing would load too many samples');
  });

  it('reports a proxy error page and never repeats credentials it echoes', async () => {
    next = { status: 401, body: '<html>\n<p>rejected Authorization: Bearer tok-123</p></html>' };
    const error = await failure((await source({ bearerToken: 'tok-123' })).read(query, secondWindow));
    expect(error).toMatchObject({ failure: 'provider-error', details: { httpStatus: 401 } });
    expect(error.message).toContain('HTTP 401: <html> <p>rejected Authorization: Bearer ***</p></html>');
    expect(error.message).not.toContain('tok-123');
  });

  it.each([
    ['not JSON', 'OK'],
    ['JSON of another shape', '{"status":"success","data":{"resultType":"vector","result":[{"value":1}]}}'],
  ])('calls a 200 answer that is %s a bad response', async (_name, body) => {
    next = { status: 200, body };
    expect((await failure((await source()).read(query, secondWindow))).failure).toBe('bad-response');
  });

  it('times out when no answer comes', async () => {
    next = { status: 200, body: '', hang: true };
    const error = await failure((await source({ timeoutSeconds: 0.2 })).read(query, secondWindow));
    expect(error.failure).toBe('timeout');
    expect(error.message).toMatch(/no answer within 0.2s/);
  });
});
