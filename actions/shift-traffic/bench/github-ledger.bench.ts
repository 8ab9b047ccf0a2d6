/**
 * The github ledger as history grows, on the GitHub API emulator (packages/testkit/src/github):
 * 1. GitHub API calls of one shift-traffic and one rollback step (the built dist, file router) after 10 and after
 *    1000 past journal steps: a step reads a bounded window, so the counts must be equal;
 * 2. a whole rollback on real nginx with 1000 past deployments, process start to healthy through nginx, median of
 *    20 beside `cp && nginx -t && nginx -s reload && sleep 1` measured in the same run. Budget: 1.5 s.
 * The past steps are seeded through the API with the action's own Deployments adapter and the github ledger.
 * Exits non-zero when the counts differ or the median rollback exceeds the budget.
 *
 * Run: pnpm exec tsx actions/shift-traffic/bench/github-ledger.bench.ts   (needs nginx: apt-get install -y nginx-light)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advance, createGitHubLedger, EMPTY_RELEASE_STATE, type StepIntent } from '@recsys-actions/ledger';
import { readRunContext } from '@recsys-actions/runtime';
import { githubClient } from '@recsys-actions/runtime/github-client';
import { githubDeployments } from '@recsys-actions/runtime/deployments';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { allTrafficTo, createRouter, parseRouterConfig, type Split } from '@recsys-actions/traffic';
import { median, runStep, startBenchSite, timeToHealthy, timingRow } from './nginx-site';

const HISTORIES = [10, 1000] as const;
const RUNS = 20;
const BUDGET_MS = 1500;
const TOKEN = 'ghs_bench';
const REPOSITORY = 'octo-org/recsys';

/**
 * `steps` promotions, alternating v2 and v1 so that v1 is live at the end, each a deployment with its intent
 * and its two statuses, written by the github ledger itself. Returns the split in force.
 */
async function seedJournal(github: GitHubEmulator, environment: string, steps: number): Promise<Split> {
  const context = readRunContext({ GITHUB_REPOSITORY: REPOSITORY, GITHUB_API_URL: github.url });
  const api = githubDeployments(githubClient(TOKEN, context), context);
  const ledger = createGitHubLedger({ api, environment, ref: 'main' });
  let state = EMPTY_RELEASE_STATE;
  let split: Split | null = null;
  for (let index = 0; index < steps; index++) {
    const version = (steps - index) % 2 === 1 ? 'v1' : 'v2';
    const to = allTrafficTo(version);
    const by = { actor: 'octocat', timestamp: new Date(Date.now() - (steps - index) * 60_000).toISOString() };
    const intent: StepIntent = {
      type: 'intent',
      key: `seed-${environment}-${index}`,
      step: 'shift',
      version,
      from: split,
      to,
      before: state,
      ...by,
    };
    const step = await ledger.begin(intent);
    await ledger.finish(step, { type: 'outcome', key: intent.key, result: 'applied', ...by });
    state = advance(state, intent);
    split = to;
  }
  if (split === null) throw new Error('seed at least one step');
  return split;
}

/** GitHub API calls of a canary shift and of its rollback, after `history` past steps. */
async function callsPerStep(github: GitHubEmulator, history: number) {
  const environment = `calls-${history}`;
  const workspace = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const live = await seedJournal(github, environment, history);
  const router = createRouter(parseRouterConfig('file', {}), { environment, workspace });
  await router.apply(live, { expected: undefined });
  const options = { token: TOKEN, env: { GITHUB_API_URL: github.url } };
  const common = { environment, router: 'file', ledger: 'github' };
  const counted = async (run: () => Promise<unknown>) => {
    const before = github.requests.length;
    await run();
    return github.requests.length - before;
  };
  const shift = await counted(() =>
    runStep(
      'shift-traffic',
      workspace,
      { ...common, 'stable-version': 'v1', 'canary-version': 'v3', 'canary-weight': '10' },
      options,
    ),
  );
  const rollback = await counted(() =>
    runStep('rollback', workspace, { ...common, reason: 'bench', 'from-version': 'v3' }, options),
  );
  return { shift, rollback };
}

/** Median rollback on nginx with `history` past deployments, beside the hand-written reload. */
async function rollbackTimes(github: GitHubEmulator, history: number) {
  const environment = 'bench';
  await seedJournal(github, environment, history);
  const bench = await startBenchSite(['v1', 'v2'], 'v1');
  const workspace = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const options = { token: TOKEN, env: { GITHUB_API_URL: github.url } };
  const step = (action: 'shift-traffic' | 'rollback', inputs: Record<string, string>) =>
    runStep(action, workspace, { environment, ...bench.routerInputs, ledger: 'github', ...inputs }, options);
  const times = { rollback: [] as number[], byHand: [] as number[] };
  try {
    // Interleaved, so both see the same machine load.
    for (let round = 0; round < RUNS; round++) {
      // Untimed: a canary to roll back from, and the hand-written peer's starting point.
      await step('shift-traffic', { 'stable-version': 'v1', 'canary-version': 'v2', 'canary-weight': '10' });
      const rollback = { reason: 'bench', 'health-url': bench.site, 'health-timeout': '10s' };
      let from: string | undefined;
      const rollingBack = async () => {
        from = (await step('rollback', rollback)).outputs['from-version'];
      };
      times.rollback.push(await timeToHealthy(bench.site, rollingBack, 'v1'));
      // A rollback that found nothing to do would time a no-op.
      if (from !== 'v2')
        throw new Error(`round ${round}: the rollback took ${from || 'nothing'} out, not v2`);
      await bench.byHand('v2');
      times.byHand.push(await timeToHealthy(bench.site, () => bench.byHand('v1'), 'v1'));
    }
  } finally {
    await bench.close();
  }
  return times;
}

const github = await startGitHubEmulator();
try {
  const calls = [];
  for (const history of HISTORIES) calls.push({ history, ...(await callsPerStep(github, history)) });
  const history = HISTORIES.at(-1) ?? 0;
  const times = await rollbackTimes(github, history);
  const peer = median(times.byHand);

  console.log('GitHub API calls per step (github ledger on the emulator, file router):');
  console.log(
    `  ${'past journal steps'.padEnd(20)} ${'shift-traffic'.padStart(13)} ${'rollback'.padStart(9)}`,
  );
  for (const row of calls) {
    console.log(
      `  ${String(row.history).padEnd(20)} ${String(row.shift).padStart(13)} ${String(row.rollback).padStart(9)}`,
    );
  }
  console.log(
    `\nRollback on nginx with ${history} past deployments, process start to healthy; median of ${RUNS}:`,
  );
  console.log(timingRow('rollback (canary → stable), github ledger', times.rollback, peer, BUDGET_MS));
  console.log(timingRow('by hand: cp && nginx -t && reload && sleep 1', times.byHand, peer, BUDGET_MS));

  const failures = [
    ...(new Set(calls.map((row) => `${row.shift}/${row.rollback}`)).size === 1
      ? []
      : ['the API calls per step grow with history']),
    ...(median(times.rollback) <= BUDGET_MS
      ? []
      : [`the median rollback exceeds the ${BUDGET_MS} ms budget`]),
    ...(github.rejected.length === 0 ? [] : [`the emulator rejected ${github.rejected.length} requests`]),
  ];
  for (const failure of failures) console.error(`FAIL: ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
} finally {
  await github.close();
}
