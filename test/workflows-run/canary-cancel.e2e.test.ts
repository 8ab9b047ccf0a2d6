import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '@recsys-actions/testkit';
import { runWorkflow, summarize } from '../../tools/workflow-runner/src/index';
import { headOf, originWithStableSplit, splitOf, TWO_STEP_RELEASE } from './gitops-origin';

// canary-release run whole and cancelled while its first gate waits: as on GitHub, the release job is
// cancelled and the rollback job (if: failure() || cancelled()) takes the canary out. Needs the built dists.

// A realtime source waits an interval before its first read, so the gate is still waiting when the run is
// cancelled. Nothing listens on the discard port: the gate is cancelled before it would ever query it. The
// max-duration holds the three intervals a gate needs at least: with the workflow's default (15m) the gate
// refused its inputs at once, and the run failed instead of being cancelled whenever that came first.
const WAITING_GATE = {
  source: 'prometheus',
  'source-config': 'address: http://127.0.0.1:9',
  checks: [
    '- name: error-rate',
    '  type: ratio',
    '  bad: sum(increase(errors_total{version="{{version}}"}[{{interval}}]))',
    '  total: sum(increase(requests_total{version="{{version}}"}[{{interval}}]))',
    '  max: 0.05',
  ].join('\n'),
  interval: '10m',
  'max-duration': '1h',
};

describe('canary-release, cancelled', () => {
  it('a cancelled run rolls back: main ends at v1 100 % and the verdict is rolled-back', async () => {
    const origin = originWithStableSplit();
    const log: string[] = [];
    const controller = new AbortController();
    const running = runWorkflow(join(repoRoot(), '.github/workflows/canary-release.yml'), {
      event: 'workflow_call',
      repo: origin,
      inputs: {
        ...TWO_STEP_RELEASE,
        ...WAITING_GATE,
      },
      signal: controller.signal,
      log: (line) => log.push(line),
    });
    const gateStarted = () =>
      log.some((line) => line.startsWith('[release (10)] > Run org/recsys-actions/canary-gate'));
    while (!(
      gateStarted() && splitOf(origin).some((target) => target.version === 'v2' && target.weight === 10)
    ))
      await sleep(100);
    controller.abort();
    const result = await running;
    const summary = summarize(result);
    expect({ summary, log: summary.jobs.rollback?.conclusion === 'success' ? [] : log }).toMatchObject({
      summary: {
        conclusion: 'cancelled',
        outputs: { verdict: 'rolled-back' },
        jobs: {
          announce: { conclusion: 'success' },
          release: { conclusion: 'cancelled' },
          rollback: { conclusion: 'success' },
          conclude: { conclusion: 'success' },
        },
      },
      log: [],
    });
    expect(result.jobs.release?.legs.map((leg) => [leg.matrix.weight, leg.conclusion])).toEqual([
      [10, 'cancelled'],
      [100, 'cancelled'],
    ]);
    const gate = result.jobs.release?.legs[0]?.steps.find((step) => step.id === 'gate');
    expect(gate?.conclusion).toBe('cancelled');
    const head = headOf(origin);
    expect(head.targets).toEqual([{ version: 'v1', weight: 100 }]);
    expect(head.subjects[1]).toMatch(
      /^github-actions\[bot\]\|recsys: production v1 100% .*\(rollback, run \d+\)$/,
    );
  }, 120_000);
});
