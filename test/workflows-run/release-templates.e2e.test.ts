import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { runWorkflow, summarize, type WorkflowResult } from '../../tools/workflow-runner/src/index';
import { CHECKS, git, originWithStableSplit, splitOf } from './gitops-origin';
import { templatePath } from './model-repo';

// The starters recsys-canary-release.yml and recsys-manual-rollback.yml run whole, as shipped except for the
// values that reach outside this machine: the Prometheus address (a recording instead), the Slack channel
// (the reusable workflows take no Slack API address, so Slack is left out) and the health URL (a local
// server). Needs the built dists.

/** The template's text with each `from` replaced once; a template that no longer has it fails the test. */
function adapted(name: string, replacements: [string, string][]): string {
  let text = readFileSync(templatePath(name), 'utf8');
  for (const [from, to] of replacements) {
    expect({ [from]: text.split(from).length - 1 }).toEqual({ [from]: 1 });
    text = text.replace(from, to);
  }
  return text;
}

const canaryTemplate = adapted('recsys-canary-release', [
  ['      source: prometheus\n', '      source: file\n'],
  [
    "      source-config: 'address: https://prometheus.example.com'\n",
    "      source-config: 'path: recordings/healthy.jsonl'\n",
  ],
  ['      slack-channel: C0123456789\n', ''],
]);

let health: Server;
let healthUrl = '';
let healthChecks = 0;
beforeAll(async () => {
  health = createServer((_, response) => {
    healthChecks += 1;
    response.end('ok');
  });
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;
});
afterAll(() => new Promise((resolve) => health.close(resolve)));

function rollbackTemplate(): string {
  return adapted('recsys-manual-rollback', [
    ['      health-url: https://recs.example.com/healthz\n', `      health-url: ${healthUrl}\n`],
    ['      slack-channel: C0123456789\n', ''],
  ]);
}

/** Runs a starter as committed (in the clone that seeded the origin); with `rerunOf`, as a re-run of that run. */
async function runTemplate(
  origin: string,
  name: string,
  inputs: Record<string, string>,
  rerunOf?: WorkflowResult,
) {
  const log: string[] = [];
  const result = await runWorkflow(join(dirname(origin), 'work', '.github', 'workflows', `${name}.yml`), {
    repo: origin,
    inputs,
    log: (line) => log.push(line),
    ...(rerunOf === undefined ? {} : { rerunOf }),
  });
  return { result, summary: summarize(result), log: log.join('\n') };
}

describe('the release starters, run whole', () => {
  it('the canary release promotes v2; the rollback button refuses a wrong confirmation, then rolls back to v1; re-runs of both change nothing', async () => {
    const origin = originWithStableSplit({
      '.github/canary-checks.yml': CHECKS,
      '.github/workflows/recsys-canary-release.yml': canaryTemplate,
      '.github/workflows/recsys-manual-rollback.yml': rollbackTemplate(),
    });
    const release = await runTemplate(origin, 'recsys-canary-release', { 'canary-version': 'v2' });
    expect({
      verdict: release.summary.jobs.release?.outputs.verdict,
      log: release.summary.conclusion === 'success' ? '' : release.log,
    }).toEqual({ verdict: 'promoted', log: '' });
    expect(splitOf(origin)).toEqual([{ version: 'v2', weight: 100 }]);
    // Every share of the template's steps was pushed, in order.
    const shares = git(origin, 'log', '--reverse', '--format=%s', 'main')
      .split('\n')
      .map((subject) => /v2 (\d+)% .*\(shift-traffic/.exec(subject)?.[1])
      .filter(Boolean);
    expect(shares).toEqual(['5', '10', '25', '50', '100']);

    const promoted = git(origin, 'rev-parse', 'main');
    const inputs = {
      environment: 'production',
      reason: 'bad recommendations',
      'from-version': '',
      'to-version': '',
    };
    const refused = await runTemplate(origin, 'recsys-manual-rollback', { ...inputs, confirm: 'prod' });
    expect(refused.summary.jobs.rollback?.outputs.verdict).toBe('failed');
    expect(refused.log).toContain("Input 'confirm' must equal the environment name 'production'");
    expect(git(origin, 'rev-parse', 'main')).toBe(promoted);

    const rolledBack = await runTemplate(origin, 'recsys-manual-rollback', {
      ...inputs,
      confirm: 'production',
    });
    expect({
      verdict: rolledBack.summary.jobs.rollback?.outputs.verdict,
      log: rolledBack.summary.conclusion === 'success' ? '' : rolledBack.log,
    }).toEqual({ verdict: 'rolled-back', log: '' });
    expect(splitOf(origin)).toEqual([{ version: 'v1', weight: 100 }]);
    // Checked before and after the switch.
    expect(healthChecks).toBeGreaterThanOrEqual(2);

    // "Re-run all jobs" of the release, then of the rollback: each step finds its own outcome in the ledger and
    // does nothing again. Above all, the re-run release never routes back to v2, which the rollback took out.
    const rolledBackMain = git(origin, 'rev-parse', 'main');
    const releaseAgain = await runTemplate(
      origin,
      'recsys-canary-release',
      { 'canary-version': 'v2' },
      release.result,
    );
    expect(releaseAgain.summary.conclusion).toBe('success');
    expect(releaseAgain.log).toContain('This step already ran in this workflow run');
    expect(releaseAgain.log).toContain('since replaced: the router now serves v1 100% (per request)');
    const rollbackAgain = await runTemplate(
      origin,
      'recsys-manual-rollback',
      { ...inputs, confirm: 'production' },
      rolledBack.result,
    );
    expect(rollbackAgain.summary.jobs.rollback?.outputs.verdict).toBe('rolled-back');
    expect(rollbackAgain.log).toContain('This rollback already ran in this workflow run');
    expect(splitOf(origin)).toEqual([{ version: 'v1', weight: 100 }]);
    expect(git(origin, 'rev-parse', 'main')).toBe(rolledBackMain);
  }, 120_000);
});
