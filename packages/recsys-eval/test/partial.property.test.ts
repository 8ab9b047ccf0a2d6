import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  evaluate,
  evaluatePartial,
  mergePartials,
  parsePartial,
  type EvaluateOptions,
  type Evaluation,
} from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'recsys-eval-shards-'));
let written = 0;

/** Writes rows as CSV and returns its path. */
function csv(header: string, rows: readonly (readonly (string | number)[])[]): string {
  const path = join(dir, `f${written++}.csv`);
  writeFileSync(path, [header, ...rows.map((row) => row.join(','))].join('\n') + '\n');
  return path;
}

/** The shard a user belongs to: a hash of the id, as a warehouse export would split it. */
function shardOf(user: string, shards: number): number {
  return createHash('sha256').update(user).digest().readUInt32BE(0) % shards;
}

const dataset = fc.record({
  users: fc.integer({ min: 2, max: 40 }),
  items: fc.integer({ min: 3, max: 30 }),
  seed: fc.integer(),
  shards: fc.integer({ min: 1, max: 5 }),
  k: fc.uniqueArray(fc.constantFrom(1, 2, 3, 5, 10), { minLength: 1, maxLength: 3 }),
  ratings: fc.constantFrom('binary', 'stars'),
  threshold: fc.option(fc.constantFrom(1, 3), { nil: undefined }),
  ndcgGain: fc.constantFrom('binary', 'rating', 'exp2') as fc.Arbitrary<'binary' | 'rating' | 'exp2'>,
  probabilities: fc.boolean(),
});

type Dataset = typeof dataset extends fc.Arbitrary<infer T> ? T : never;
type Row = (string | number)[];

/** Random recommendations, interactions, predictions and train rows from a seeded generator (scores may tie). */
function generate({ users, items, seed, ratings, probabilities }: Dataset) {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const recs: Row[] = [];
  const truth: Row[] = [];
  const preds: Row[] = [];
  const train: Row[] = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      const user = `u${u}`;
      const item = `i${i}`;
      if (random() < 0.4) recs.push([user, item, Math.round(random() * 8) / 8]);
      if (random() < 0.25) {
        const rating = ratings === 'binary' ? (random() < 0.6 ? 1 : 0) : 1 + Math.floor(random() * 5);
        truth.push([user, item, rating]);
        if (random() < 0.8) preds.push([user, item, probabilities ? random() : random() * 5]);
      }
      if (random() < 0.3) train.push([user, item]);
    }
  }
  return { recs, truth, preds, train };
}

function optionsFor(data: Dataset, files: Record<'recs' | 'truth' | 'preds', Row[]>, train: string) {
  return {
    recommendations: csv('user,item,score', files.recs),
    interactions: csv('user,item,rating', files.truth),
    ratingPredictions: csv('user,item,prediction', files.preds),
    trainInteractions: train,
    k: data.k,
    relevanceThreshold: data.threshold,
    ndcgGain: data.threshold === undefined && data.ratings === 'binary' ? data.ndcgGain : 'binary',
  } satisfies EvaluateOptions;
}

describe('partial results merged across shards', () => {
  it('equal the unsharded evaluation to 1e-12, in any merge order', async () => {
    await fc.assert(
      fc.asyncProperty(dataset, fc.nat(), async (data, order) => {
        const rows = generate(data);
        const train = csv('user,item', rows.train);
        const evaluated = await evaluate(optionsFor(data, rows, train)).catch(() => undefined);
        // Data with nobody to score is refused whole, and is no case for merging.
        fc.pre(evaluated !== undefined);
        const whole = evaluated as Evaluation;
        const shardFiles = Array.from({ length: data.shards }, (_, shard) => {
          const mine = (row: Row) => shardOf(row[0] as string, data.shards) === shard;
          return optionsFor(
            data,
            { recs: rows.recs.filter(mine), truth: rows.truth.filter(mine), preds: rows.preds.filter(mine) },
            train,
          );
        });
        const partials = await Promise.all(
          shardFiles.map(async (options, index) => {
            const path = `shard-${index}.json`;
            return { path, partial: parsePartial(path, JSON.stringify(await evaluatePartial(options))) };
          }),
        );
        const rotated = [
          ...partials.slice(order % partials.length),
          ...partials.slice(0, order % partials.length),
        ];
        const merged = mergePartials(rotated.reverse());
        const expected = Object.entries(whole.metrics).filter(([name]) => name !== 'auc');
        expect(Object.keys(merged.metrics).sort()).toEqual(expected.map(([name]) => name).sort());
        for (const [name, value] of expected) {
          if (Math.abs((merged.metrics[name] as number) - value) > 1e-12)
            throw new Error(`${name}: merged ${merged.metrics[name]} vs whole ${value}`);
        }
        expect(merged.counts).toEqual(whole.counts);
        const lowest = (table: { user: string; value: number }[]) =>
          [...table].sort((a, b) => a.value - b.value || (a.user < b.user ? -1 : 1)).map((row) => row.user);
        expect(merged.userTables?.diversity.map((row) => row.user)).toEqual(
          lowest(whole.userTables?.diversity ?? []),
        );
      }),
      { numRuns: 60 },
    );
  });
});
