import { describeWithService, runAction, type ActionRun } from '@recsys-actions/testkit';
import { startLoad, type LoadRun } from '@recsys-actions/testkit/services/load';
import { startModelServer, type ModelServer } from '@recsys-actions/testkit/services/model-server';
import {
  PROMETHEUS_SERVICE,
  startPrometheus,
  type PrometheusInstance,
} from '@recsys-actions/testkit/services/prometheus';

// The built action against a real Prometheus scraping stand-in model servers every second. Four canaries are
// judged at once against one baseline (10 % errors): twice the errors, identical, no traffic at all, one whose
// traffic stopped before the gate began (its latency quantile is NaN, 0/0), and identical but read from a
// second Prometheus that is stopped part-way. Intervals are 3 s, so each window
// holds three scrapes; at 100 req/s per server a doubled error rate shows within the 3 intervals that
// min-intervals requires. The identical canary cannot be shown within a 10 % tolerance from a few hundred
// errors, so it is promoted by `on-timeout: promote` once max-duration (5 intervals) passes without evidence
// of a regression, rather than by the sequential test's early promote.

const CHECKS = `
- name: error-rate
  type: ratio
  bad: sum(increase(requests_total{version="{{version}}", code=~"5.."}[{{interval}}]))
  total: sum(increase(requests_total{version="{{version}}"}[{{interval}}]))
- name: latency-p95
  type: value
  query: histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket{version="{{version}}"}[{{interval}}])))
  max: 1
`;

// The latency quantile alone, over 10 s rather than one interval: enough scrapes for rate() however loaded the
// machine, and still none of them moving for the stalled canary, whose quantile is then 0/0.
const STALLED_CHECKS = `
- name: latency-p95
  type: value
  query: histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket{version="{{version}}"}[10s])))
  max: 1
`;

const INTERVAL_SECONDS = 3;
/** One interval of CHECKS for canary and baseline: two queries for the ratio and one for the value, each. */
const QUERIES_PER_INTERVAL = 6;

/** Waits until `instance` has enough samples for the gate's first interval to see the identical canary's traffic. */
function untilIntervalHasData(instance: PrometheusInstance): Promise<void> {
  return untilAnswered(
    instance,
    `sum(increase(requests_total{version="v2-identical"}[${INTERVAL_SECONDS}s]))`,
  );
}

/** Waits until `promql` has an answer on `instance`, i.e. enough samples for its range. */
async function untilAnswered(instance: PrometheusInstance, promql: string): Promise<void> {
  const query = encodeURIComponent(promql);
  for (;;) {
    const answer = (await (await fetch(`${instance.url}/api/v1/query?query=${query}`)).json()) as {
      data?: { result?: unknown[] };
    };
    if ((answer.data?.result ?? []).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many instant queries `instance` has answered, as Prometheus counts them itself. */
async function answeredQueries(instance: PrometheusInstance): Promise<number> {
  const metrics = await (await fetch(`${instance.url}/metrics`)).text();
  const line = /prometheus_http_requests_total\{code="200",handler="\/api\/v1\/query"\} (\d+)/.exec(metrics);
  return Number(line?.[1] ?? 0);
}

/**
 * Stops `instance` once it has answered one whole interval of the gate's queries beyond `before`, so the gate
 * sees data before the outage however slowly the machine starts the action.
 */
async function stopAfterOneInterval(instance: PrometheusInstance, before: number): Promise<void> {
  while ((await answeredQueries(instance)) < before + QUERIES_PER_INTERVAL) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await instance.stop();
}

describeWithService(
  PROMETHEUS_SERVICE,
  'canary-gate against a real Prometheus (built dist)',
  (executable) => {
    const servers: ModelServer[] = [];
    const instances: PrometheusInstance[] = [];
    let load: LoadRun;
    const runs: Record<
      'regressing' | 'identical' | 'idle' | 'stalled' | 'outage',
      Promise<ActionRun>
    > = {} as never;

    const gate = (address: string, canaryVersion: string, checks = CHECKS) => {
      return runAction({
        action: 'canary-gate',
        inputs: {
          source: 'prometheus',
          'source-config': `address: ${address}`,
          checks,
          interval: `${INTERVAL_SECONDS}s`,
          settle: '500ms',
          'max-duration': `${5 * INTERVAL_SECONDS}s`,
          'min-intervals': 3,
          'inconclusive-limit': 3,
          'consecutive-error-limit': 2,
          'on-timeout': 'promote',
          'canary-version': canaryVersion,
          'baseline-version': 'v1',
          environment: 'test',
        },
      });
    };

    beforeAll(async () => {
      const [baseline, regressing, identical, idle, stalled] = await Promise.all([
        startModelServer({ version: 'v1', errorRate: 0.1 }),
        startModelServer({ version: 'v2-regressing', errorRate: 0.2 }),
        startModelServer({ version: 'v2-identical', errorRate: 0.1 }),
        startModelServer({ version: 'v2-idle', errorRate: 0.1 }),
        startModelServer({ version: 'v2-stalled', errorRate: 0.1 }),
      ]);
      servers.push(baseline, regressing, identical, idle, stalled);
      // The stalled canary's series exist, but none of them moves while the gate runs.
      await startLoad({ targets: [stalled.url], requestsPerSecond: 20, durationSeconds: 1 }).done;
      const [main, doomed] = await Promise.all([
        startPrometheus({ executable, targets: servers.map((server) => server.target) }),
        startPrometheus({ executable, targets: [baseline.target, identical.target] }),
      ]);
      instances.push(main, doomed);
      // Bounded by count as well as time; the idle canary gets no requests at all.
      load = startLoad({
        targets: [baseline.url, regressing.url, identical.url],
        requestsPerSecond: 100,
        durationSeconds: 40,
        maxRequestsPerTarget: 4_000,
      });
      await Promise.all([main.waitForScrapes(2), doomed.waitForScrapes(2)]);
      runs.regressing = gate(main.url, 'v2-regressing');
      runs.identical = gate(main.url, 'v2-identical');
      runs.idle = gate(main.url, 'v2-idle');
      await untilAnswered(
        main,
        'sum(rate(request_duration_seconds_count{version="v2-stalled"}[10s])) + sum(rate(request_duration_seconds_count{version="v1"}[10s]))',
      );
      runs.stalled = gate(main.url, 'v2-stalled', STALLED_CHECKS);
      await untilIntervalHasData(doomed);
      const before = await answeredQueries(doomed);
      runs.outage = gate(doomed.url, 'v2-identical');
      void stopAfterOneInterval(doomed, before);
    }, 60_000);

    afterAll(async () => {
      await load?.stop();
      await Promise.all(instances.map((instance) => instance.stop()));
      await Promise.all(servers.map((server) => server.close()));
    });

    const evidenceOf = (run: ActionRun) => JSON.parse(run.outputs.evidence ?? '{}');

    it('rolls back a canary with twice the baseline error rate', async () => {
      const run = await runs.regressing;
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(
        /^The canary gate decided rollback for v2-regressing: error-rate is worse than baseline beyond its tolerance/,
      );
      expect(run.outputs.verdict).toBe('rollback');
      const evidence = evidenceOf(run)['error-rate'];
      expect(evidence.canary.rate).toBeCloseTo(0.2, 1);
      expect(evidence.baseline.rate).toBeCloseTo(0.1, 1);
      expect(evidence.sequential.rollbackEValue).toBeGreaterThanOrEqual(20);
    });

    it('promotes an identical canary at max-duration (on-timeout: promote)', async () => {
      const run = await runs.identical;
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.outputs.verdict).toBe('promote');
      expect(run.summary).toContain('on-timeout is promote');
      const evidence = evidenceOf(run);
      expect(evidence['error-rate'].intervals).toEqual({ withData: 5, noData: 0, errors: 0, failed: 0 });
      expect(evidence['error-rate'].ratio).toBeCloseTo(1, 1);
      expect(evidence['latency-p95'].canary.mean).toBeGreaterThan(0);
    });

    it('is inconclusive for a canary without traffic, saying there is no data', async () => {
      const run = await runs.idle;
      expect(run.exitCode).toBe(0);
      expect(run.outputs.verdict).toBe('inconclusive');
      // Its request counter has no series at all: no data. Its latency histogram is zeroed at start, so the
      // quantile is NaN (0/0) once a window holds two scrapes: an error, which may end the gate first.
      const evidence = evidenceOf(run);
      const { intervals } = evidence['error-rate'];
      expect(intervals).toEqual({ withData: 0, noData: intervals.noData, errors: 0, failed: 0 });
      expect(run.summary).toContain(
        `error-rate had no data in ${intervals.noData} of ${intervals.noData} intervals: check that both versions get traffic`,
      );
      expect(run.summary).toMatch(
        /No verdict on v2-idle: (no data for error-rate in 3 intervals|errors from telemetry in 2 consecutive intervals \(last: latency-p95: canary: the query returned NaN)/,
      );
      expect(evidence['latency-p95'].intervals.withData).toBe(0);
    });

    it('counts a NaN quantile (an interval without requests) as an erroring interval and says why', async () => {
      const run = await runs.stalled;
      expect(run.exitCode).toBe(0);
      expect(run.outputs.verdict).toBe('inconclusive');
      const nan =
        'canary: the query returned NaN, which cannot be judged (PromQL returns it for 0/0, e.g. a quantile over an interval without requests)';
      expect(run.summary).toContain(
        `No verdict on v2-stalled: errors from telemetry in 2 consecutive intervals (last: latency-p95: ${nan})`,
      );
      // A scrape that a loaded machine answers late can leave an interval without data before the NaNs.
      expect(run.summary).toContain(`Reading latency-p95 failed in 2 of`);
      expect(run.warnings).toHaveLength(2);
      run.warnings.forEach((warning, i) =>
        expect(warning).toMatch(
          new RegExp(
            `^Interval \\d: check latency-p95 could not be read or judged, so this interval is evidence of nothing \\(${i + 1} of consecutive-error-limit 2 in a row\\): canary: the query returned NaN, which cannot be judged`,
          ),
        ),
      );
      expect(evidenceOf(run)['latency-p95'].intervals).toMatchObject({ withData: 0, errors: 2, failed: 0 });
    });

    it('counts the errors when Prometheus stops part-way, warns naming check and cause, never promotes', async () => {
      const run = await runs.outage;
      expect(run.exitCode).toBe(0);
      expect(run.outputs.verdict).toBe('inconclusive');
      expect(run.summary).toMatch(
        /errors from telemetry in 2 consecutive intervals \(last: error-rate: canary: Prometheus query .* cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
      );
      const evidence = evidenceOf(run)['error-rate'];
      expect(evidence.intervals.errors).toBe(2);
      expect(evidence.intervals.withData).toBeGreaterThanOrEqual(1);
      for (const check of ['error-rate', 'latency-p95'])
        expect(run.warnings).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^Interval \\d: check ${check} could not be read or judged, so this interval is evidence of nothing \\(2 of consecutive-error-limit 2 in a row\\): canary: Prometheus query .* cannot reach http://127\\.0\\.0\\.1:\\d+ \\(ECONNREFUSED\\)`,
            ),
          ),
        );
    });
  },
);
