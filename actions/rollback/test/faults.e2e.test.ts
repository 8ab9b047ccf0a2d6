import { GITHUB_RETRY_DEFAULTS } from '@recsys-actions/runtime';
import { join } from 'node:path';
import { describeWithService, eioFrom, seededRandom, workspaceWith } from '@recsys-actions/testkit';
import { NGINX_SERVICE } from '@recsys-actions/testkit/services/nginx';
import { startRoutedSite, type RoutedSite } from '@recsys-actions/testkit/services/routed-site';
import { tallyVersions } from '@recsys-actions/testkit/services/upstream';
import {
  allTrafficTo,
  nginxRouterBackend,
  nginxRouterConfigSchema,
  renderNginxConfig,
} from '@recsys-actions/traffic';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { expectSuccess, RUN_SHA, trafficFile, step } from '../../shift-traffic/test/helpers';
import {
  about,
  attempt,
  CANARY_V4,
  copyOf,
  expectLostOutcomeCarried,
  expectNoRouteTo,
  FAULT_SEED,
  faultRound,
  faultRounds,
  fileJournal,
  fileRound,
  freshRunId,
  githubJournal,
  histories,
  killSweep,
  killSweepMs,
  ROLLBACK_V2,
  ROLLBACK_V3,
  seedDeployments,
  startFaultingProxy,
  targetsOfSplit,
  trafficOf,
  watchTraffic,
  type CallFailure,
  type FaultingProxy,
  type Round,
  type Scenario,
  type Targets,
} from './faults';

/** The budget in CI; `pnpm test:faults` raises the number of kills per scenario. */
const KILLS = faultRounds(4);
const KILL_SWEEP_MS = killSweepMs(KILLS);

/** A shadow release of v4 beside v2: v2 keeps answering, half the requests are copied to v4. */
const SHADOW_V4: Scenario = {
  name: 'shadow of v4 at 50 %',
  action: 'shift-traffic',
  inputs: { 'canary-version': 'v4', mode: 'shadow', 'shadow-percent': 50 },
  expected: { v2: 100, 'shadow v4': 50 },
};
/** A rollback naming the shadow ends it: v4 took no traffic, so v2 keeps all of it. */
const END_SHADOW_V4: Scenario = {
  name: 'rollback from the shadow v4',
  action: 'rollback',
  inputs: { reason: 'v4 lists disagree', 'from-version': 'v4' },
  expected: { v2: 100 },
};

describe('faults from outside the process: file router and file ledger (built dists)', () => {
  let templates: { promoted: string; rolledBack: string };
  const templateOf = (scenario: Scenario) =>
    scenario === ROLLBACK_V3 ? templates.promoted : templates.rolledBack;
  const random = seededRandom(FAULT_SEED);

  beforeAll(async () => {
    templates = await histories();
  }, 120_000);

  it.each([ROLLBACK_V3, ROLLBACK_V2, CANARY_V4])(
    'kill -9 at random points of the $name, then re-runs converge',
    async (scenario) => {
      await killSweep(
        '(file router, file ledger)',
        scenario,
        () => fileRound(templateOf(scenario)),
        random,
        KILLS,
      );
    },
    KILL_SWEEP_MS,
  );

  it('after a rollback lost its outcome (EIO from the 3rd open of the ledger), rollbacks of new runs never route back to what it took out', async () => {
    const round = fileRound(templates.promoted);
    const ledger = join(round.workspace, '.recsys', 'ledger', 'production.jsonl');
    await expectLostOutcomeCarried(round, { wrap: eioFrom(3, 'openat', ledger) });
  });

  const sweeps = {
    'open of the ledger file': (workspace: string, n: number) =>
      eioFrom(n, 'openat', join(workspace, '.recsys', 'ledger', 'production.jsonl')),
    'open of the traffic file': (workspace: string, n: number) =>
      eioFrom(n, 'openat', join(workspace, 'traffic', 'production.json')),
    'rename of any file': (_workspace: string, n: number) => eioFrom(n, 'rename,renameat,renameat2'),
  };
  it.each(
    [ROLLBACK_V3, CANARY_V4].flatMap((scenario) =>
      (Object.keys(sweeps) as (keyof typeof sweeps)[]).map(
        (sweep) => [scenario.name, sweep, scenario] as const,
      ),
    ),
  )(
    '%s: EIO from the n-th %s on, for every n, then re-runs converge',
    async (_name, sweep, scenario) => {
      const hit: number[] = [];
      for (let n = 1; n <= 7; n++) {
        const round = fileRound(templateOf(scenario));
        const faulted = await about(`${scenario.name}, EIO from the ${n}-th ${sweep}`, () =>
          faultRound(scenario, round, { wrap: sweeps[sweep](round.workspace, n) }),
        );
        if (faulted.exitCode !== 0 || faulted.warnings.length > 0) hit.push(n);
      }
      // The fault did land: the first calls fail the step (or its outcome), the later ones come too late.
      expect(hit).toContain(1);
    },
    180_000,
  );
});

/** Retry-After 0 so the client's retries of it take no time. */
const SERVER_ERROR: CallFailure = { status: 500, headers: { 'retry-after': '0' } };

const RATE_LIMITED: CallFailure = {
  status: 403,
  message: 'API rate limit exceeded for installation ID 4242.',
  headers: { 'retry-after': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '5000' },
};

describe('faults from outside the process: file router and github ledger (GitHub API emulator)', () => {
  let github: GitHubEmulator;
  let proxy: FaultingProxy;
  let templates: { promoted: string; rolledBack: string };
  let environments = 0;

  beforeAll(async () => {
    github = await startGitHubEmulator();
    proxy = await startFaultingProxy(github);
    templates = await histories();
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await github?.close();
  });

  /** A round in an environment of its own, its journal seeded into the emulator from the template's. */
  async function githubRound(template: string): Promise<Round & { calls: number[] }> {
    const environment = `prod-${++environments}`;
    const split = trafficOf(join(template, 'traffic', 'production.json')) ?? {};
    const workspace = workspaceWith({ [`traffic/${environment}.json`]: trafficFile(split, environment) });
    await seedDeployments(github, environment, fileJournal(template), RUN_SHA);
    const path = join(workspace, 'traffic', `${environment}.json`);
    const watcher = watchTraffic(path);
    const calls: number[] = [];
    return {
      workspace,
      options: { token: 'ghs_test', env: { GITHUB_API_URL: proxy.url } },
      inputs: { environment },
      observe: async () => trafficOf(path),
      journal: () => githubJournal(github, environment),
      afterAttempt: async () => void calls.push(proxy.disarm()),
      seen: () => watcher.stop(),
      calls,
    };
  }

  it.each([ROLLBACK_V3, CANARY_V4])(
    'kill -9 at random points of the $name with the github ledger, then re-runs converge',
    async (scenario) => {
      const template = scenario === ROLLBACK_V3 ? templates.promoted : templates.rolledBack;
      await killSweep(
        '(github ledger)',
        scenario,
        () => githubRound(template),
        seededRandom(FAULT_SEED + 2),
        KILLS,
      );
    },
    KILL_SWEEP_MS,
  );

  it('after a rollback lost its outcome (HTTP 500 on its final status), rollbacks of new runs never route back to what it took out', async () => {
    const round = await githubRound(templates.promoted);
    // The step's calls: list deployments, the newest one's statuses, create the deployment, in_progress, outcome
    // (and the client's 3 retries of the outcome).
    proxy.failCall(5, SERVER_ERROR);
    await expectLostOutcomeCarried(round, {});
    expect(round.calls[0]).toBe(4 + GITHUB_RETRY_DEFAULTS.maxAttempts);
  });

  it.each([
    [ROLLBACK_V3.name, 'HTTP 500', ROLLBACK_V3, SERVER_ERROR],
    [ROLLBACK_V3.name, 'a rate limit (403, Retry-After)', ROLLBACK_V3, RATE_LIMITED],
    [CANARY_V4.name, 'HTTP 500', CANARY_V4, SERVER_ERROR],
    [CANARY_V4.name, 'a rate limit (403, Retry-After)', CANARY_V4, RATE_LIMITED],
  ] as const)(
    '%s: GitHub answers %s to the n-th call, for every n, then re-runs converge',
    async (_name, _label, scenario, failure: CallFailure) => {
      const template = scenario === ROLLBACK_V3 ? templates.promoted : templates.rolledBack;
      for (let n = 1; ; n++) {
        const round = await githubRound(template);
        proxy.failCall(n, failure);
        const faulted = await about(`${scenario.name}, HTTP ${failure.status} on call ${n}`, () =>
          faultRound(scenario, round, {}),
        );
        // Past the step's last call the fault never fires: the sweep is complete.
        if (n > (round.calls[0] ?? 0)) break;
        expect(faulted.exitCode !== 0 || faulted.warnings.length > 0).toBe(true);
      }
      expect(github.rejected).toEqual([]);
      expect(github.faults).toEqual([]);
    },
    180_000,
  );
});

describeWithService(
  NGINX_SERVICE,
  'faults from outside the process: real nginx and file ledger',
  (executable) => {
    let routed: RoutedSite;
    let site: string;
    let routerConfig: string;
    let templates: { promoted: string; rolledBack: string };
    const include = () => routed.routerConfig.path;

    beforeAll(async () => {
      // The site mirrors, so a shadow's copies really reach v4 while the answers must all come from v2.
      routed = await startRoutedSite(executable, {
        versions: ['v1', 'v2', 'v3', 'v4'],
        render: (fields) => renderNginxConfig(allTrafficTo('v2'), fields).text,
      });
      site = `${routed.url}/`;
      routerConfig = JSON.stringify(routed.routerConfig);
      templates = await histories();
    }, 120_000);
    afterAll(async () => {
      await routed?.stop();
    });

    /** Puts nginx back on v2 (the template's split) through the action itself, with no ledger to disturb. */
    async function nginxRound(): Promise<Round> {
      const nginxInputs = { router: 'nginx', 'router-config': routerConfig };
      const reset = await step('shift-traffic', workspaceWith({}), {
        ...nginxInputs,
        ledger: 'none',
        'canary-version': 'v2',
        'canary-weight': 100,
      });
      expectSuccess(reset);
      const workspace = copyOf(templates.rolledBack);
      const router = nginxRouterBackend.create(nginxRouterConfigSchema().parse(JSON.parse(routerConfig)), {
        environment: 'production',
        workspace,
      });
      const tallies: Targets[] = [];
      return {
        workspace,
        options: {},
        inputs: nginxInputs,
        observe: async () => {
          const split = await router.observe();
          return split && targetsOfSplit(split);
        },
        journal: () => fileJournal(workspace),
        // Real requests after every attempt: whatever state a fault left nginx in, they reach no rolled-back version.
        afterAttempt: async () => void tallies.push((await tallyVersions(site, 20)).tally),
        seen: () => tallies,
      };
    }

    it.each([ROLLBACK_V2, CANARY_V4])(
      'kill -9 at random points of the $name through nginx, then re-runs converge',
      async (scenario) => {
        await killSweep('through nginx', scenario, nginxRound, seededRandom(FAULT_SEED + 1), KILLS);
      },
      KILL_SWEEP_MS,
    );

    /** A round with v4 shadowed first, through the action and the round's journal, when `shadowed`. */
    async function shadowRound(shadowed: boolean): Promise<Round> {
      const round = await nginxRound();
      if (shadowed) expectSuccess(await attempt(SHADOW_V4, round, freshRunId()));
      const seen = round.seen;
      // A shadow never answers: whatever a fault left behind, every real request is answered by v2.
      return { ...round, seen: () => (expectNoRouteTo('v4', seen()), seen()) };
    }

    it.each([
      { name: SHADOW_V4.name, scenario: SHADOW_V4, shadowed: false },
      { name: END_SHADOW_V4.name, scenario: END_SHADOW_V4, shadowed: true },
    ])(
      'kill -9 at random points of the $name through nginx, then re-runs converge and v4 never answers',
      async ({ scenario, shadowed }) => {
        await killSweep(
          'through nginx',
          scenario,
          () => shadowRound(shadowed),
          seededRandom(FAULT_SEED + 2),
          KILLS,
        );
      },
      KILL_SWEEP_MS,
    );

    it.each([
      [
        'the ledger file',
        (round: Round, n: number) =>
          eioFrom(n, 'openat', join(round.workspace, '.recsys', 'ledger', 'production.jsonl')),
      ],
      [
        'the nginx include (nginx -t reads it too)',
        (_round: Round, n: number) => eioFrom(n, 'openat', include()),
      ],
    ] as const)(
      'shift through nginx: EIO from the n-th open of %s on, for every n, then re-runs converge',
      async (file, wrap) => {
        const hit: number[] = [];
        for (let n = 1; n <= 6; n++) {
          const round = await nginxRound();
          const faulted = await about(
            `${CANARY_V4.name} through nginx, EIO from the ${n}-th open of ${file}`,
            () => faultRound(CANARY_V4, round, { wrap: wrap(round, n) }),
          );
          if (faulted.exitCode !== 0 || faulted.warnings.length > 0) hit.push(n);
        }
        expect(hit).toContain(1);
      },
      240_000,
    );
  },
);
