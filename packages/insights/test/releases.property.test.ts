import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { measureEnvironment, releasesOf } from '../src/index';
import { JournalWriter } from './ledgers';

type Operation = 'canary' | 'promote' | 'rollback' | 'revert' | 'failed-canary';

/** What the operations add up to, counted while they are written, independently of the fold. */
interface Model {
  live: string;
  canary: string | null;
  /** The last rollback, while its revert is possible: back to `left`, taking `target` out. */
  revertible: { target: string; left: string } | null;
  next: number;
  promotions: number;
  failures: number;
  settled: number;
  reverted: number;
}

const HOUR = 3_600_000;
const START = Date.parse('2026-03-01T00:00:00Z');

async function apply(writer: JournalWriter, model: Model, operation: Operation, at: string): Promise<void> {
  const { canary } = model;
  if (operation === 'canary' && canary === null) {
    model.canary = `v${model.next++}`;
    await writer.canary(model.canary, 10, { at });
  } else if (operation === 'failed-canary' && canary === null) {
    await writer.canary(`v${model.next++}`, 10, { at, result: 'failed' });
  } else if (operation === 'promote' && canary !== null) {
    await writer.promote(canary, { at });
    Object.assign(model, { live: canary, canary: null, revertible: null });
    model.promotions += 1;
    model.settled += 1;
  } else if (operation === 'rollback' && canary !== null) {
    await writer.rollback(model.live, [canary], { at });
    Object.assign(model, { canary: null, revertible: { target: model.live, left: canary } });
    model.failures += 1;
    model.settled += 1;
  } else if (operation === 'revert' && canary === null && model.revertible) {
    const { target, left } = model.revertible;
    await writer.rollback(left, [target], { at });
    Object.assign(model, { live: left, revertible: null });
    model.reverted += 1;
  }
}

describe('releases folded from any sequence of steps', () => {
  it('count the promotions, failures, settled releases and reverted rollbacks the steps made', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Operation>('canary', 'promote', 'rollback', 'revert', 'failed-canary'), {
          maxLength: 25,
        }),
        async (operations) => {
          const writer = JournalWriter.file(mkdtempSync(join(tmpdir(), 'insights-property-')), 'production');
          const model: Model = {
            live: 'v0',
            canary: null,
            revertible: null,
            next: 1,
            promotions: 1,
            failures: 0,
            settled: 1,
            reverted: 0,
          };
          await writer.promote('v0', { at: new Date(START).toISOString() });
          for (const [index, operation] of operations.entries()) {
            await apply(writer, model, operation, new Date(START + (index + 1) * HOUR).toISOString());
          }
          const window = { since: new Date(START), until: new Date(START + 100 * HOUR) };
          const { steps } = await writer.ledger.history(new Date(0));
          const metrics = measureEnvironment(
            'production',
            releasesOf('production', steps, window),
            window,
            new Map(),
          );
          expect({
            deployments: metrics.deployments,
            failed: metrics.changeFailureRate.failed,
            settled: metrics.changeFailureRate.settled,
            reverted: metrics.revertedRollbacks,
            inProgress: metrics.inProgress,
          }).toEqual({
            deployments: model.promotions,
            failed: model.failures,
            settled: model.settled,
            reverted: model.reverted,
            inProgress: model.canary === null ? 0 : 1,
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
