import { GITHUB_RETRY_DEFAULTS } from '@recsys-actions/runtime';
import { join } from 'node:path';
import { describeWithService, seededRandom, workspaceWith, type ActionRun } from '@recsys-actions/testkit';
import {
  NGINX_SERVICE,
  nginxShadowSite,
  startNginx,
  type NginxInstance,
} from '@recsys-actions/testkit/services/nginx';
import { freePort } from '@recsys-actions/testkit/services/prometheus';
import {
  startVersionServer,
  tallyVersions,
  type VersionServer,
} from '@recsys-actions/testkit/services/upstream';
import {
  allTrafficTo,
  nginxRouterBackend,
  nginxRouterConfigSchema,
  renderNginxConfig,
} from '@recsys-actions/traffic';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { expectSuccess, RUN_SHA, trafficFile, step } from '../../shift-traffic/test/helpers';
import {
  attempt,
  copyOf,
  eioFrom,
  FAULT_SEED,
  faultRounds,
  fileJournal,
  freshRunId,
  githubJournal,
  seedDeployments,
  type CallFailure,
  lastEffectiveSplit,
  startFaultingProxy,
  stepsOf,
  targetsOf,
  targetsOfSplit,
  trafficOf,
  watchTraffic,
  type FaultingProxy,
  type JournalEntry,
  type Round,
  type Scenario,
  type StepOptions,
  type Targets,
} from './faults';

/** The version the first rollback takes out: once it has left traffic, nothing may route to it again. */
const BAD = 'v3';
/** Rolls back the promoted v3; the journal must then walk past it on every later rollback. */
const ROLLBACK_V3: Scenario = {
  name: 'rollback from v3',
  action: 'rollback',
  inputs: { reason: 'v3 hurts CTR', 'from-version': 'v3' },
  expected: { v2: 100 },
};
/** After v3 was rolled back, the next rollback goes to v1, never forward to v3. */
const ROLLBACK_V2: Scenario = {
  name: 'rollback of v2 (after v3 was rolled back)',
  action: 'rollback',
  inputs: { reason: 'v2 regressed too' },
  expected: { v1: 100 },
};
const CANARY_V4: Scenario = {
  name: 'shift v4 to 20 % (after v3 was rolled back)',
  action: 'shift-traffic',
  inputs: { 'canary-version': 'v4', 'canary-weight': 20 },
  expected: { v2: 80, v4: 20 },
};

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

/** The budget in CI; `pnpm test:faults` raises the number of kills per scenario. */
const KILLS = faultRounds(4);
const MAX_RERUNS = 3;

let prepared: Promise<{ promoted: string; rolledBack: string }> | undefined;
/** The two histories, made once for the whole file. */
function histories(): Promise<{ promoted: string; rolledBack: string }> {
  prepared ??= makeHistories();
  return prepared;
}

/** Runs v1, v2 and v3 to 100 % (T0), then rolls v3 back (T1): the history every round starts from. */
async function makeHistories(): Promise<{ promoted: string; rolledBack: string }> {
  const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
  for (const [stable, canary] of [
    ['v1', 'v2'],
    ['v2', 'v3'],
  ] as const) {
    for (const weight of [10, 100]) {
      const inputs = { 'stable-version': stable, 'canary-version': canary, 'canary-weight': weight };
      expectSuccess(await step('shift-traffic', workspace, inputs));
    }
  }
  const promoted = copyOf(workspace);
  expectSuccess(await step('rollback', workspace, ROLLBACK_V3.inputs));
  return { promoted, rolledBack: workspace };
}

function fileRound(template: string): Round {
  const workspace = copyOf(template);
  const watcher = watchTraffic(join(workspace, 'traffic', 'production.json'));
  return {
    workspace,
    options: {},
    inputs: {},
    observe: async () => trafficOf(join(workspace, 'traffic', 'production.json')),
    journal: () => fileJournal(workspace),
    seen: () => watcher.stop(),
  };
}

/** Adds what went wrong to a failed assertion, so a sweep names the fault that broke an invariant. */
async function about<T>(label: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error) error.message = `${label} (seed ${FAULT_SEED}):\n${error.message}`;
    throw error;
  }
}

function expectNoRouteTo(version: string, splits: Targets[]): void {
  expect(splits.filter((split) => (split[version] ?? 0) > 0)).toEqual([]);
}

/**
 * The invariants after a fault: re-runs of the same step (same run id) converge on the expected split, the
 * journal's last effective step put exactly that split in force, and one more re-run changes nothing at all.
 */
async function expectConvergence(scenario: Scenario, round: Round, runId: string): Promise<ActionRun[]> {
  const reruns: ActionRun[] = [];
  do reruns.push(await attempt(scenario, round, runId));
  while (reruns.at(-1)?.exitCode !== 0 && reruns.length < MAX_RERUNS);
  expectSuccess(reruns.at(-1) as ActionRun);
  expect(await round.observe()).toEqual(scenario.expected);
  expect(lastEffectiveSplit(round.journal())).toEqual(scenario.expected);
  const journal = round.journal();
  const further = await attempt(scenario, round, runId);
  expectSuccess(further);
  expect(round.journal()).toEqual(journal);
  expect(await round.observe()).toEqual(scenario.expected);
  return reruns;
}

/** The splits every intent of the round asked for: a rollback must never even intend to route to BAD. */
function intendedSplits(journal: JournalEntry[], from: number): Targets[] {
  return stepsOf(journal.slice(from)).map((step) => targetsOf(step.intent));
}

/**
 * One round: the fault hits the scenario's step, re-runs converge, and BAD never takes traffic. After a fault on
 * the rollback of v3, a later rollback (a new run) must walk back to v1, past v3.
 */
async function faultRound(
  scenario: Scenario,
  round: Round,
  fault: Pick<StepOptions, 'timeoutMs' | 'wrap'>,
): Promise<ActionRun> {
  const startedWith = round.journal().length;
  const runId = freshRunId();
  const faulted = await attempt(scenario, round, runId, fault);
  await expectConvergence(scenario, round, runId);
  if (scenario === ROLLBACK_V3) await expectConvergence(ROLLBACK_V2, round, freshRunId());
  const seen = round.seen();
  const afterBadLeft = seen.slice(
    Math.max(
      0,
      seen.findIndex((split) => !(BAD in split)),
    ),
  );
  expectNoRouteTo(BAD, afterBadLeft);
  expectNoRouteTo(BAD, intendedSplits(round.journal(), startedWith));
  return faulted;
}

/**
 * A rollback of v3 moves traffic but cannot record its outcome; before anyone re-runs it, people press rollback
 * twice more in new runs. The second goes to v1; the third finds v2 and v3 both rolled back and refuses, instead
 * of routing back to v3.
 */
async function expectLostOutcomeCarried(round: Round, fault: Pick<StepOptions, 'wrap'>): Promise<void> {
  const lost = await attempt(ROLLBACK_V3, round, freshRunId(), fault);
  expect(lost.warnings).toContainEqual(expect.stringContaining('its outcome could not be recorded'));
  expectSuccess(await attempt(ROLLBACK_V2, round, freshRunId()));
  expect(await round.observe()).toEqual({ v1: 100 });
  const third = await attempt({ ...ROLLBACK_V2, inputs: { reason: 'v1 too' } }, round, freshRunId());
  const seen = round.seen();
  expect(await round.observe()).toEqual({ v1: 100 });
  expectNoRouteTo(BAD, seen.slice(1));
  expect(third.errors).toEqual([expect.stringMatching(/^No known good version to roll back [\w-]+ to: /)]);
}

/** How long the step takes undisturbed, so kills can land anywhere in it. */
async function normalDuration(scenario: Scenario, round: Round): Promise<number> {
  const started = Date.now();
  const run = await attempt(scenario, round, freshRunId());
  round.seen();
  expectSuccess(run);
  return Date.now() - started;
}

/**
 * KILLS rounds in which SIGKILL hit the step at a random time between 50 ms and its undisturbed duration. A
 * time drawn past the end of a quicker run kills nothing; it is drawn again, at most 3 × KILLS rounds in all.
 */
async function killSweep(
  label: string,
  scenario: Scenario,
  newRound: () => Round | Promise<Round>,
  random: () => number,
): Promise<void> {
  const duration = await normalDuration(scenario, await newRound());
  const killedAt: number[] = [];
  for (let round = 0; killedAt.length < KILLS && round < 3 * KILLS; round++) {
    const timeoutMs = Math.round(50 + random() * Math.max(0, duration - 50));
    const faulted = await about(`${scenario.name} ${label}, SIGKILL after ${timeoutMs} ms`, async () =>
      faultRound(scenario, await newRound(), { timeoutMs }),
    );
    // A killed child has no exit code.
    if (faulted.exitCode === -1) killedAt.push(timeoutMs);
  }
  expect(killedAt.length).toBeGreaterThan(0);
}

/** Long enough for a kill sweep: each round runs the step up to six times. */
const KILL_SWEEP_MS = 60_000 + 3 * KILLS * 20_000;

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
      await killSweep('(file router, file ledger)', scenario, () => fileRound(templateOf(scenario)), random);
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
      await killSweep('(github ledger)', scenario, () => githubRound(template), seededRandom(FAULT_SEED + 2));
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
    let nginx: NginxInstance;
    let servers: VersionServer[];
    let site: string;
    let routerConfig: string;
    let templates: { promoted: string; rolledBack: string };
    const include = () => join(nginx.prefix, 'traffic.conf');

    beforeAll(async () => {
      servers = await Promise.all(['v1', 'v2', 'v3', 'v4'].map((version) => startVersionServer(version)));
      const [sitePort, probePort] = [await freePort(), await freePort()];
      site = `http://127.0.0.1:${sitePort}/`;
      const fields = {
        upstream: 'recsys',
        servers: Object.fromEntries(servers.map((server) => [server.version, [server.address]])),
        userKey: '$http_x_user_id',
        probeListen: `127.0.0.1:${probePort}`,
      };
      nginx = await startNginx({
        executable,
        files: { 'traffic.conf': renderNginxConfig(allTrafficTo('v2'), fields).text },
        // The site mirrors, so a shadow's copies really reach v4 while the answers must all come from v2.
        http: `include {prefix}/traffic.conf;${nginxShadowSite(sitePort)}`,
      });
      routerConfig = JSON.stringify({
        path: include(),
        ...fields,
        testCommand: nginx.testCommand,
        reloadCommand: nginx.reloadCommand,
      });
      templates = await histories();
    }, 120_000);
    afterAll(async () => {
      await nginx?.stop();
      await Promise.all((servers ?? []).map((server) => server.close()));
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
      const router = nginxRouterBackend.create(nginxRouterConfigSchema.parse(JSON.parse(routerConfig)), {
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
        await killSweep('through nginx', scenario, nginxRound, seededRandom(FAULT_SEED + 1));
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
        await killSweep('through nginx', scenario, () => shadowRound(shadowed), seededRandom(FAULT_SEED + 2));
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
