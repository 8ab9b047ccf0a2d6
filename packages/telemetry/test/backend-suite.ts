import { describeWithService } from '@recsys-actions/testkit';
import { startLoad } from '@recsys-actions/testkit/services/load';
import {
  fixedLatency,
  startModelServer,
  uniformLatency,
  type ModelServer,
} from '@recsys-actions/testkit/services/model-server';
import {
  METRICS_BACKENDS,
  startMetricsBackend,
  type MetricsBackendKind,
  type PrometheusInstance,
} from '@recsys-actions/testkit/services/prometheus';
import {
  MetricSourceError,
  openMetricSource,
  type IntervalWindow,
  type MetricSource,
  type SeriesQuery,
} from '../src/index';

// The Prometheus source's suite against a real server of the query API, run by one test file per backend
// (so jest runs them in parallel). It drives a known number of requests into two stand-in model servers,
// lets the backend scrape them every second, then reads one window covering the whole run.

const REQUESTS_PER_SECOND = 20;
const LOAD_SECONDS = 4;
const SENT = REQUESTS_PER_SECOND * LOAD_SECONDS;
const CANARY_ERROR_RATE = 0.2;
const BASELINE_ERROR_RATE = 0.1;
// Load starts 1.5 s into the window and ends by ~5.5 s; 9 s leaves room for scrapes of the final counts.
const WINDOW: IntervalWindow = { index: 0, startSeconds: 0, endSeconds: 9 };

const ERRORS = 'sum(increase(requests_total{version="{{version}}",code=~"5.."}[{{interval}}]))';
const REQUESTS = 'sum(increase(requests_total{version="{{version}}"}[{{interval}}]))';
const LATENCY_P95 =
  'histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket{version="{{version}}"}[{{interval}}])))';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Prometheus says 400 bad_data; VictoriaMetrics answers 422 and puts the status in errorType.
const MALFORMED_QUERY_ERROR: Record<MetricsBackendKind, { httpStatus: number; errorType: string }> = {
  prometheus: { httpStatus: 400, errorType: 'bad_data' },
  'victoria-metrics': { httpStatus: 422, errorType: '422' },
};

const NAN_ANSWER: Record<MetricsBackendKind, number | undefined> = {
  prometheus: Number.NaN,
  'victoria-metrics': undefined,
};

export function describeSourceAgainst(kind: MetricsBackendKind): void {
  describeWithService(
    METRICS_BACKENDS[kind].service,
    `Prometheus source against a real ${METRICS_BACKENDS[kind].service.name}`,
    (executable) => {
      let canary: ModelServer;
      let baseline: ModelServer;
      let prometheus: PrometheusInstance;
      let source: MetricSource;

      const read = (expression: string, version: string) => {
        const query: SeriesQuery = {
          expression,
          aggregation: 'sum',
          role: 'canary',
          version,
          environment: 'test',
        };
        return source.read(query, WINDOW);
      };

      beforeAll(async () => {
        canary = await startModelServer({
          version: 'v2',
          errorRate: CANARY_ERROR_RATE,
          latency: uniformLatency(0.055, 0.095),
        });
        baseline = await startModelServer({
          version: 'v1',
          errorRate: BASELINE_ERROR_RATE,
          latency: fixedLatency(0.03),
        });
        prometheus = await startMetricsBackend(kind, {
          executable,
          targets: [canary.target, baseline.target],
        });
        await prometheus.waitForScrapes(2);

        const start = Date.now() / 1000;
        source = await openMetricSource({
          source: 'prometheus',
          address: prometheus.url,
          start,
          headers: {},
          timeoutSeconds: 5,
        });
        // A scrape must see the counters at zero inside the window, so that increase() counts the first requests.
        await sleep(1500);
        const load = await startLoad({
          targets: [canary.url, baseline.url],
          requestsPerSecond: REQUESTS_PER_SECOND,
          durationSeconds: LOAD_SECONDS,
        }).done;
        expect(Object.values(load).map((target) => target.sent)).toEqual([SENT, SENT]);
        // Past the window's end plus a scrape, so the evaluation at the end sees every sample it will ever see.
        await sleep(Math.max(0, (start + WINDOW.endSeconds + 1.5) * 1000 - Date.now()));
      }, 60_000);

      afterAll(async () => {
        await prometheus?.stop();
        await canary?.close();
        await baseline?.close();
      });

      it('reads the increase of requests and errors in the window, within the extrapolation tolerance', async () => {
        expect(canary.answered).toEqual({
          ok: SENT * (1 - CANARY_ERROR_RATE),
          errors: SENT * CANARY_ERROR_RATE,
        });
        const canaryErrors = await read(ERRORS, 'v2');
        const canaryRequests = await read(REQUESTS, 'v2');
        const baselineErrors = await read(ERRORS, 'v1');
        // increase() starts from the first sample in range (0 here, so nothing is extrapolated before it) and
        // extrapolates the last sample to the range's end, by at most one 1 s scrape over >= 6 s of samples:
        // the result lies in [exact, exact × 7/6]; 1.2 leaves a little slack for scrape jitter.
        for (const [value, exact] of [
          [canaryErrors, SENT * CANARY_ERROR_RATE],
          [canaryRequests, SENT],
          [baselineErrors, SENT * BASELINE_ERROR_RATE],
        ] as const) {
          expect(value).toBeGreaterThanOrEqual(exact - 1e-9);
          expect(value).toBeLessThanOrEqual(exact * 1.2);
        }
        // Both series of one target are sampled at the same instants, so they are extrapolated alike.
        expect((canaryErrors ?? NaN) / (canaryRequests ?? NaN)).toBeCloseTo(CANARY_ERROR_RATE, 9);
      });

      it('reads a latency quantile from the histogram', async () => {
        // When every observation falls in one bucket, histogram_quantile interpolates linearly inside it:
        // lower + 0.95 × (upper − lower), whatever rate() extrapolated. Baseline: 30 ms, in (25 ms, 50 ms].
        expect(await read(LATENCY_P95, 'v1')).toBeCloseTo(0.025 + 0.95 * 0.025, 9);
        // Canary: 55–95 ms, all in (50 ms, 100 ms].
        expect(await read(LATENCY_P95, 'v2')).toBeCloseTo(0.05 + 0.95 * 0.05, 9);
      });

      it('reports no data for a version without traffic', async () => {
        expect(await read(REQUESTS, 'v9')).toBeUndefined();
        expect(await read(LATENCY_P95, 'v9')).toBeUndefined();
      });

      it('passes on +Inf and NaN answers for the caller to judge', async () => {
        expect(await read(`${REQUESTS} / 0`, 'v2')).toBe(Infinity);
        // VictoriaMetrics leaves NaN samples out of its answers, so there a 0/0 is an empty vector: no data.
        expect(await read(`${REQUESTS} * 0 / 0`, 'v2')).toBe(NAN_ANSWER[kind]);
      });

      it('asks for aggregation when the query keeps one series per status code', async () => {
        await expect(
          read('increase(requests_total{version="{{version}}"}[{{interval}}])', 'v2'),
        ).rejects.toMatchObject({
          failure: 'not-a-single-value',
        });
      });

      it('carries the error type and status of a malformed query', async () => {
        await expect(read('sum(rate(requests_total[{{interval}}])', 'v2')).rejects.toMatchObject({
          failure: 'provider-error',
          details: MALFORMED_QUERY_ERROR[kind],
        });
      });

      it('fails with connection refused once the server is stopped', async () => {
        await prometheus.stop();
        const error = await read(REQUESTS, 'v2').catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(MetricSourceError);
        expect(error).toMatchObject({
          failure: 'unreachable',
          message: expect.stringContaining('ECONNREFUSED'),
        });
      });
    },
  );
}
