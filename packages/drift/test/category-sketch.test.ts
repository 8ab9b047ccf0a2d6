import fc from 'fast-check';
import type { CategoricalColumnProfile } from '../src/profile';
import { boundCategories, CATEGORY_LIMIT, mergeCategoryColumns } from '../src/sketch/category-sketch';
import { categoricalColumnDrift } from '../src/column-drift';

const CATEGORIES = CATEGORY_LIMIT + 2000;
const names = Array.from({ length: CATEGORIES }, (_, i) => `item_${i}`);

/** A shard: Zipf-like counts scaled by `scale` (so above 1 M values), shuffled by `seed` per category. */
function shard(seed: number, scale: number): CategoricalColumnProfile {
  const counts = Uint32Array.from(names, (_, i) => Math.floor((scale * 1000) / (i + 1)) + ((i * seed) % 7));
  return boundCategories({
    name: 'item',
    type: 'categorical',
    categories: names,
    counts: { counts, missing: seed },
  });
}

function listed(column: CategoricalColumnProfile): Map<string, number> {
  return new Map(column.categories.map((name, i) => [name, column.counts.counts[i] as number]));
}

describe('category sketch', () => {
  it('keeps every count within its stated error after merging shards in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }), (seeds) => {
        const shards = seeds.map((seed) => shard(seed, 200 + seed));
        const merged = shards.reduce((a, b) => mergeCategoryColumns(a, b));
        const truth = new Map<string, number>();
        for (const seed of seeds) {
          const full = Uint32Array.from(
            names,
            (_, j) => Math.floor(((200 + seed) * 1000) / (j + 1)) + ((j * seed) % 7),
          );
          names.forEach((name, j) => truth.set(name, (truth.get(name) ?? 0) + (full[j] as number)));
        }
        const kept = listed(merged);
        const error = merged.other?.countError ?? 0;
        expect(merged.categories.length).toBe(CATEGORY_LIMIT);
        let total = 0;
        for (const [name, count] of truth) {
          const estimate = kept.get(name) ?? 0;
          expect(estimate).toBeLessThanOrEqual(count);
          expect(count).toBeLessThanOrEqual(estimate + error);
          total += count;
        }
        const keptTotal = [...kept.values()].reduce((a, b) => a + b, 0);
        expect(keptTotal + (merged.other?.count ?? 0)).toBe(total);
      }),
      { numRuns: 6 },
    );
  });

  it('judges a sketched column by Jensen-Shannon with the left-out categories as one bin, and says so', () => {
    const drift = categoricalColumnDrift(shard(1, 300), shard(5, 300), { method: 'chisquare' });
    expect(drift.method).toBe('jensenshannon');
    expect(drift.sketch?.note).toMatch(/chisquare needs every category's count/);
    expect(drift.sketch?.epsilon).toBeGreaterThan(0);
    expect(drift.histogram.labels).toContain('other');
  });
});
