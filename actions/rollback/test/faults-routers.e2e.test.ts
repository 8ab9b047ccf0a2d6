import { join } from 'node:path';
import { eioFrom, seededRandom } from '@recsys-actions/testkit';
import { faultPlatforms, platformRound } from './fault-platforms';
import {
  about,
  CANARY_V4,
  expectLostOutcomeCarried,
  FAULT_SEED,
  faultRound,
  faultRounds,
  histories,
  killSweep,
  killSweepMs,
  ROLLBACK_V3,
  type Scenario,
} from './faults';
// The release-safety fault suite of faults.e2e.test.ts on every other router, through the built dists: the
// Kubernetes routers and the AWS routers against the testkit fakes (the official clients over loopback), git
// mode and the command router on the workspace. One kill per scenario and router in CI (about two minutes in
// all); `pnpm test:faults` raises RECSYS_FAULT_ROUNDS for the long sweep.
const KILLS = faultRounds(1);

describe.each(faultPlatforms())(
  'faults from outside the process: the $name router (built dists)',
  ({ name, platform }) => {
    let templates: { promoted: string; rolledBack: string };
    const templateOf = (scenario: Scenario) =>
      scenario === ROLLBACK_V3 ? templates.promoted : templates.rolledBack;
    const random = seededRandom(FAULT_SEED + name.length);

    beforeAll(async () => {
      await platform.start();
      templates = await histories();
    }, 120_000);
    afterAll(() => platform.close());

    it.each([ROLLBACK_V3, CANARY_V4])(
      'kill -9 at random points of the $name, then re-runs converge and nothing routes back to v3',
      async (scenario) => {
        await killSweep(
          `(${name})`,
          scenario,
          () => platformRound(platform, templateOf(scenario)),
          random,
          KILLS,
        );
      },
      killSweepMs(KILLS),
    );

    it('after a rollback lost its outcome (EIO from the 3rd open of the ledger), rollbacks of new runs never route back to what it took out', async () => {
      const round = platformRound(platform, templates.promoted);
      const ledger = join(round.workspace, '.recsys', 'ledger', 'production.jsonl');
      await expectLostOutcomeCarried(round, { wrap: eioFrom(3, 'openat', ledger) });
    }, 120_000);

    if (platform.renamesItsFile) {
      it('rollback: EIO from the n-th rename on (the router replaces its manifest), for every n, then re-runs converge', async () => {
        const hit: number[] = [];
        for (let n = 1; n <= 3; n++) {
          const round = platformRound(platform, templates.promoted);
          const faulted = await about(`${ROLLBACK_V3.name} (${name}), EIO from the ${n}-th rename`, () =>
            faultRound(ROLLBACK_V3, round, { wrap: eioFrom(n, 'rename,renameat,renameat2') }),
          );
          if (faulted.exitCode !== 0 || faulted.warnings.length > 0) hit.push(n);
        }
        expect(hit).toContain(1);
      }, 180_000);
    }
  },
);
