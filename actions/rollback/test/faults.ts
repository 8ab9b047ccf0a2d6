import { GITHUB_RETRY_DEFAULTS } from '@recsys-actions/runtime';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceWith, type ActionRun } from '@recsys-actions/testkit';
import type { GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { expectSuccess, readLedgerFile, step, trafficFile } from '../../shift-traffic/test/helpers';

/**
 * How many random kills each scenario family gets. CI runs a handful (the suite's budget is a few minutes on two
 * cores); `pnpm test:faults` sets RECSYS_FAULT_ROUNDS for the long sweep. Read only here, by the tests.
 */
export function faultRounds(ciDefault: number): number {
  const asked = Number(process.env.RECSYS_FAULT_ROUNDS);
  return Number.isInteger(asked) && asked > 0 ? asked : ciDefault;
}

/** The seed of the kill times, printed on failure so a round can be replayed with RECSYS_FAULT_SEED. */
export const FAULT_SEED = Number(process.env.RECSYS_FAULT_SEED) || Date.now() % 1_000_000;

export type Targets = Record<string, number>;
export type Action = 'shift-traffic' | 'rollback';
export type StepOptions = NonNullable<Parameters<typeof step>[3]>;

/** One step a fault hits: what it is asked, and the split it must converge to. */
export interface Scenario {
  name: string;
  action: Action;
  inputs: Record<string, string | number>;
  expected: Targets;
}

/** A copy of a prepared workspace, so each round starts from the same history without re-running it. */
export function copyOf(template: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'fault-round-'));
  cpSync(template, workspace, { recursive: true });
  return workspace;
}

let nextRunId = 700_000;
/** A fresh workflow run id: re-runs of one round share it, as GitHub's "Re-run job" does. */
export function freshRunId(): string {
  return String(nextRunId++);
}

/** The split a traffic file (as the file router writes it) holds, undefined while there is none. */
export function trafficOf(path: string): Targets | undefined {
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    split: { targets: { version: string; weight: number }[] };
  };
  return Object.fromEntries(file.split.targets.map((target) => [target.version, target.weight]));
}

/**
 * Looks at a traffic file every few milliseconds while a round runs and keeps each split it saw, in order. The
 * router replaces the file with a rename, so every look sees a whole split.
 */
export function watchTraffic(path: string): { seen: Targets[]; stop(): Targets[] } {
  return watchSplits(() => trafficOf(path));
}

/** Reads what serves every few milliseconds and keeps each split it saw, in order, until stopped. */
export function watchSplits(read: () => Targets | undefined): { seen: Targets[]; stop(): Targets[] } {
  const seen: Targets[] = [];
  const look = () => {
    const now = read();
    if (now !== undefined && JSON.stringify(now) !== JSON.stringify(seen.at(-1))) seen.push(now);
  };
  look();
  const timer = setInterval(look, 2);
  return {
    seen,
    stop() {
      clearInterval(timer);
      look();
      return seen;
    },
  };
}

export interface JournalEntry {
  type: 'intent' | 'outcome';
  key: string;
  result?: string;
  to?: SplitLike;
}

/** A split as the journal and the routers hold it. */
export interface SplitLike {
  targets: { version: string; weight: number }[];
  mirror?: { version: string; percent: number };
}

/** A split's weights by version; a shadow shows as `shadow <version>` with its percent (it takes no traffic). */
export function targetsOfSplit(split: SplitLike): Targets {
  const weights = Object.fromEntries(split.targets.map((target) => [target.version, target.weight]));
  return split.mirror ? { ...weights, [`shadow ${split.mirror.version}`]: split.mirror.percent } : weights;
}

/** Intents with the outcome each got (an outcome completes the newest unfinished intent of its key). */
export function stepsOf(entries: JournalEntry[]): { intent: JournalEntry; result?: string }[] {
  const steps: { intent: JournalEntry; result?: string }[] = [];
  for (const entry of entries) {
    if (entry.type === 'intent') steps.push({ intent: entry });
    else {
      const open = steps.findLast((candidate) => candidate.intent.key === entry.key && !candidate.result);
      if (open) open.result = entry.result;
    }
  }
  return steps;
}

export function targetsOf(intent: JournalEntry): Targets {
  return targetsOfSplit(intent.to ?? { targets: [] });
}

/** The split the journal's last step that took effect (applied or unchanged) put in force. */
export function lastEffectiveSplit(entries: JournalEntry[]): Targets | undefined {
  const last = stepsOf(entries).findLast((s) => s.result === 'applied' || s.result === 'unchanged');
  return last && targetsOf(last.intent);
}

export function fileJournal(workspace: string, environment = 'production'): JournalEntry[] {
  return readLedgerFile(workspace, environment) as unknown as JournalEntry[];
}

/** The github ledger's journal read back from the emulator as entries: payload intents, statuses as outcomes. */
export function githubJournal(github: GitHubEmulator, environment: string): JournalEntry[] {
  const results: Record<string, string> = { success: 'applied', inactive: 'unchanged', failure: 'failed' };
  return github
    .deployments()
    .filter((deployment) => deployment.environment === environment)
    .flatMap((deployment) => {
      const intent = (deployment.payload as { recsys?: { intent: JournalEntry } }).recsys?.intent;
      if (!intent) return [];
      // The first final status is the outcome; later ones are duplicates readers drop.
      const final = deployment.statuses.find((status) => status.state !== 'in_progress');
      const result = final && (results[final.state] ?? final.state);
      return result ? [intent, { type: 'outcome' as const, key: intent.key, result }] : [intent];
    });
}

/** Where a round runs: a workspace, the options and inputs that point the step at its router and ledger. */
export interface Round {
  workspace: string;
  options: StepOptions;
  inputs: Record<string, string>;
  /** What the router serves now. */
  observe(): Promise<Targets | undefined>;
  journal(): JournalEntry[];
  /** Called after every attempt, e.g. to send real requests through the router. */
  afterAttempt?(): Promise<void>;
  /** Every split seen during the round (looks at the traffic file, or tallies of real requests). */
  seen(): Targets[];
}

/** Runs the step of a round: one workflow run id, so every attempt is the same step. */
export async function attempt(
  scenario: Scenario,
  round: Round,
  runId: string,
  fault: Pick<StepOptions, 'timeoutMs' | 'wrap'> = {},
): Promise<ActionRun> {
  const run = await step(
    scenario.action,
    round.workspace,
    { ...scenario.inputs, ...round.inputs },
    { ...round.options, ...fault, env: { ...round.options.env, GITHUB_RUN_ID: runId } },
  );
  await round.afterAttempt?.();
  return run;
}

/** A forwarding proxy in front of the emulator that counts a step's calls and fails the n-th one. */
export interface FaultingProxy {
  url: string;
  /** Counts from zero again and answers call `n` (1-based) with `failure`, through the emulator's failNext. */
  failCall(n: number, failure: CallFailure): void;
  /** Stops failing; returns how many calls were made since `failCall`. */
  disarm(): number;
  close(): Promise<void>;
}

export interface CallFailure {
  status: number;
  headers?: Record<string, string>;
  message?: string;
}

export async function startFaultingProxy(github: GitHubEmulator): Promise<FaultingProxy> {
  let count = 0;
  let armed: { n: number; failure: CallFailure } | undefined;
  const target = new URL(github.url);
  const server: Server = createServer((incoming, outgoing) => {
    count += 1;
    // The emulator answers the n-th request with the failure, after checking the route and the token, and the
    // client's retries of it too: a failure the retries absorb would test nothing.
    if (armed && count === armed.n) {
      github.failNext(GITHUB_RETRY_DEFAULTS.maxAttempts, armed.failure.status, armed.failure);
    }
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failCall(n, failure) {
      count = 0;
      armed = { n, failure };
    },
    disarm() {
      armed = undefined;
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Writes a journal (read from a file ledger) into the emulator as the github ledger keeps it: one deployment per
 * step carrying the intent, with in_progress and a final status. Every round gets the same history in no time.
 */
export async function seedDeployments(
  github: GitHubEmulator,
  environment: string,
  entries: JournalEntry[],
  ref: string,
): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${github.url}/repos/octo-org/recsys${path}`, {
      method: 'POST',
      headers: { authorization: 'token ghs_test', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`seeding ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: number };
  };
  for (const { intent, result } of stepsOf(entries)) {
    if (result !== 'applied') throw new Error('seedDeployments replays applied steps only');
    const { version } = intent as unknown as { version: string };
    const deployment = await post('/deployments', {
      ref,
      environment,
      payload: { version, recsys: { journal: 1, intent } },
      description: `seeded ${version}`,
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
    });
    for (const [state, description] of [
      ['in_progress', 'Started by octocat'],
      ['success', 'Applied by octocat'],
    ]) {
      await post(`/deployments/${deployment.id}/statuses`, {
        state,
        description,
        environment,
        auto_inactive: false,
      });
    }
  }
}

/** The version the first rollback takes out: once it has left traffic, nothing may route to it again. */
export const BAD = 'v3';
/** Rolls back the promoted v3; the journal must then walk past it on every later rollback. */
export const ROLLBACK_V3: Scenario = {
  name: 'rollback from v3',
  action: 'rollback',
  inputs: { reason: 'v3 hurts CTR', 'from-version': 'v3' },
  expected: { v2: 100 },
};
/** After v3 was rolled back, the next rollback goes to v1, never forward to v3. */
export const ROLLBACK_V2: Scenario = {
  name: 'rollback of v2 (after v3 was rolled back)',
  action: 'rollback',
  inputs: { reason: 'v2 regressed too' },
  expected: { v1: 100 },
};
export const CANARY_V4: Scenario = {
  name: 'shift v4 to 20 % (after v3 was rolled back)',
  action: 'shift-traffic',
  inputs: { 'canary-version': 'v4', 'canary-weight': 20 },
  expected: { v2: 80, v4: 20 },
};

const MAX_RERUNS = 3;

let prepared: Promise<{ promoted: string; rolledBack: string }> | undefined;
/** The two histories, made once for the whole file. */
export function histories(): Promise<{ promoted: string; rolledBack: string }> {
  prepared ??= makeHistories();
  return prepared;
}

/** Runs v1, v2 and v3 to 100 % (T0), then rolls v3 back (T1): the history every round starts from. */
export async function makeHistories(): Promise<{ promoted: string; rolledBack: string }> {
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

export function fileRound(template: string): Round {
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
export async function about<T>(label: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error) error.message = `${label} (seed ${FAULT_SEED}):\n${error.message}`;
    throw error;
  }
}

export function expectNoRouteTo(version: string, splits: Targets[]): void {
  expect(splits.filter((split) => (split[version] ?? 0) > 0)).toEqual([]);
}

/**
 * The invariants after a fault: re-runs of the same step (same run id) converge on the expected split, the
 * journal's last effective step put exactly that split in force, and one more re-run changes nothing at all.
 */
export async function expectConvergence(
  scenario: Scenario,
  round: Round,
  runId: string,
): Promise<ActionRun[]> {
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
export async function faultRound(
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
export async function expectLostOutcomeCarried(
  round: Round,
  fault: Pick<StepOptions, 'wrap'>,
): Promise<void> {
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

/** How long the step's action runs undisturbed (its process alone), so kills can land anywhere in it. */
export async function normalDuration(scenario: Scenario, round: Round): Promise<number> {
  const run = await attempt(scenario, round, freshRunId());
  round.seen();
  expectSuccess(run);
  return run.durationMs;
}

/** The earliest kill a sweep draws: the runner's Node is still starting, and no step ends this soon. */
const EARLIEST_KILL_MS = 50;

/**
 * `kills` rounds in which SIGKILL hit the step at a random time between 50 ms and its undisturbed duration. A
 * draw can miss: the run ends before it, because runs vary, and because this process's timer fires late and sees
 * the end late when its event loop is busy (in a whole test run, misses came 10–25 ms before the end measured
 * here). A miss is drawn again, at most 3 × `kills` rounds in all, below the midpoint between 50 ms and the time
 * that missed, so misses in a row close in on the step's start; after a kill, draws span the whole step again.
 * Drawing below the missed run's measured duration instead still missed three times in a row in CI.
 */
export async function killSweep(
  label: string,
  scenario: Scenario,
  newRound: () => Round | Promise<Round>,
  random: () => number,
  kills: number,
): Promise<void> {
  const undisturbed = await normalDuration(scenario, await newRound());
  let latest = undisturbed;
  const killedAt: number[] = [];
  const misses: string[] = [];
  for (let round = 0; killedAt.length < kills && round < 3 * kills; round++) {
    const timeoutMs = Math.round(EARLIEST_KILL_MS + random() * Math.max(0, latest - EARLIEST_KILL_MS));
    const faulted = await about(`${scenario.name} ${label}, SIGKILL after ${timeoutMs} ms`, async () =>
      faultRound(scenario, await newRound(), { timeoutMs }),
    );
    // A killed child has no exit code.
    if (faulted.exitCode === -1) {
      killedAt.push(timeoutMs);
      latest = undisturbed;
    } else {
      misses.push(
        `SIGKILL at ${timeoutMs} ms missed: exit ${faulted.exitCode} seen after ${faulted.durationMs} ms`,
      );
      latest = Math.round((EARLIEST_KILL_MS + timeoutMs) / 2);
    }
  }
  // Every draw missing is a failure; its draws say why.
  expect(killedAt.length > 0 ? [] : misses).toEqual([]);
}

/** Long enough for a kill sweep of `kills` rounds: each round runs the step up to six times. */
export function killSweepMs(kills: number): number {
  return 60_000 + 3 * kills * 20_000;
}
