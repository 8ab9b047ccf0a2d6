import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDataset } from '../bench/generate-data';
import { numericColumnDrift } from '../src/column-drift';
import type { DriftMethod } from '../src/options';
import { SortedSample } from '@recsys-actions/stats';
import { seededRandom } from '@recsys-actions/testkit';
import {
  numericProfileOf,
  profileDataset,
  type DatasetProfile,
  type NumericColumnProfile,
} from '../src/profile';
import { sketchSorted, type NumericSketch } from '../src/sketch/numeric-sketch';
import { rankErrorEpsilon } from '../src/sketch/quantile-sketch';
import { sketchedNumericDrift } from '../src/sketch/sketched-drift';

// The benchmark's generator at 200 000 rows (eight continuous columns, whose sketches compact, and two integer
// ones, whose sketches keep exact counts), and continuous columns drawn here, with shapes the generator lacks
// (k = 8192 over 200 000 values: five levels).
const ROWS = 200_000;
let directory: string;
const references: Record<string, NumericColumnProfile[]> = {};
const currents: Record<string, NumericColumnProfile[]> = {};

const numericColumns = (profile: DatasetProfile) =>
  profile.columns.filter((column): column is NumericColumnProfile => column.type === 'numeric');

function continuousColumns(seed: number, shift: number): NumericColumnProfile[] {
  const draw = seededRandom(seed);
  // mulberry32 (2^32 period: 200 000 draws are 200 000 distinct doubles), kept off 0 for the logarithms.
  const u = () => draw() + 2 ** -33;
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const draws = [
    () => 50 + 10 * normal() + shift * 2,
    () => Math.exp(1 + 0.8 * normal() + shift * 0.05),
    () => u() * 100 + shift,
    () => -Math.log(u()) * (5 + shift * 0.3),
    () => normal() / Math.max(0.05, Math.abs(normal())) + shift * 0.2,
    () => (u() < 0.3 + shift * 0.05 ? -2 : 2) + normal(),
  ];
  return draws.map((draw, i) => {
    const sorted = SortedSample.adopt(Float64Array.from({ length: ROWS }, draw).sort(), `c${i}`);
    return { name: `continuous_${i}`, type: 'numeric', numeric: numericProfileOf(sorted, 0) };
  });
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'sketched-drift-'));
  writeDataset(join(directory, 'reference.csv'), ROWS, 1, 0);
  writeDataset(join(directory, 'drifted.csv'), ROWS, 2, 1);
  writeDataset(join(directory, 'same.csv'), ROWS, 3, 0);
  const read = async (name: string) => numericColumns(await profileDataset([join(directory, name)], {}));
  references.bench = await read('reference.csv');
  currents['bench drifted'] = await read('drifted.csv');
  currents['bench same'] = await read('same.csv');
  references.continuous = continuousColumns(1, 0);
  currents['continuous drifted'] = continuousColumns(2, 1);
  currents['continuous same'] = continuousColumns(3, 0);
}, 120_000);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function sketchOfExact(column: NumericColumnProfile): NumericSketch {
  if (column.numeric === undefined) throw new Error('expected an exact column');
  return sketchSorted(column.numeric.sorted.values, column.numeric.missing);
}

function bothWays(currentName: string, method: DriftMethod) {
  const reference = references[currentName.split(' ')[0] as string] as NumericColumnProfile[];
  return reference.map((column, i) => {
    const other = (currents[currentName] as NumericColumnProfile[])[i] as NumericColumnProfile;
    const options = { method };
    const exact = numericColumnDrift(column, other, options);
    const sketched = sketchedNumericDrift(column.name, sketchOfExact(column), sketchOfExact(other), options);
    return { column, other, exact, sketched };
  });
}

const CURRENTS = ['bench drifted', 'bench same', 'continuous drifted', 'continuous same'];
const METHODS: DriftMethod[] = ['wasserstein', 'ks', 'psi', 'kl', 'jensenshannon'];

describe('drift judged from sketches', () => {
  it.each(METHODS.flatMap((method) => CURRENTS.map((current) => [method, current])))(
    "%s on %s data: the exact path's verdict (KS: never missing its drift)",
    (method, current) => {
      for (const { exact, sketched } of bothWays(current as string, method as DriftMethod)) {
        // KS adds the rank error to D: it never misses drift the exact test sees, but may flag a column whose
        // exact p-value is just above the threshold (here the continuous columns at 200 000 values, where D's
        // critical value is 0.004 and 2ε is 0.0012). Every other method gives the same verdict.
        const expected = method === 'ks' ? exact.drifted || sketched.drifted : exact.drifted;
        expect({ column: exact.column, drifted: sketched.drifted }).toEqual({
          column: exact.column,
          drifted: expected,
        });
        expect(sketched.method).toBe(method);
        if (current.startsWith('continuous')) expect(sketched.sketch?.epsilon).toBeGreaterThan(0);
      }
    },
  );

  it("compacts the sketches of the benchmark generator's eight continuous columns", () => {
    // A generator with a short period once gave every column under 1000 distinct values: the sketches then kept
    // exact counts, and neither the benchmark nor this test exercised a compaction.
    const compacted = bothWays('bench drifted', 'ks').filter(
      ({ sketched }) => (sketched.sketch?.epsilon ?? 0) > 0,
    );
    expect(compacted.map(({ column }) => column.name)).toEqual([
      'num_0',
      'num_1',
      'num_2',
      'num_3',
      'num_5',
      'num_6',
      'num_8',
      'num_9',
    ]);
  });

  it('keeps KS conservative: D at least the exact D, at most it plus twice the stated ε', () => {
    for (const current of CURRENTS) {
      for (const { exact, sketched } of bothWays(current, 'ks')) {
        const { epsilon } = sketched.sketch as { epsilon: number };
        expect(epsilon).toBeLessThanOrEqual(2 * rankErrorEpsilon(ROWS));
        expect(sketched.statistic).toBeGreaterThanOrEqual(exact.statistic - 1e-12);
        expect(sketched.statistic).toBeLessThanOrEqual(exact.statistic + 2 * epsilon + 1e-12);
      }
    }
  });

  it('keeps Wasserstein within ε × range / std of the exact distance, exact on few distinct values', () => {
    for (const { column, other, exact, sketched } of [
      ...bothWays('bench drifted', 'wasserstein'),
      ...bothWays('continuous drifted', 'wasserstein'),
    ]) {
      const a = sketchOfExact(column);
      const b = sketchOfExact(other);
      const range = Math.max(a.max, b.max) - Math.min(a.min, b.min);
      const { epsilon } = sketched.sketch as { epsilon: number };
      const bound = (epsilon * range) / Math.sqrt(a.m2 / a.count);
      expect(Math.abs(sketched.statistic - exact.statistic)).toBeLessThanOrEqual(bound + 1e-12);
      if (a.distinct !== undefined && b.distinct !== undefined) {
        expect(sketched.statistic).toBeCloseTo(exact.statistic, 10);
      }
    }
  });

  it('says a sketched column was judged by another method when the sketch cannot take it', () => {
    const judged = [
      ...bothWays('bench drifted', 'hellinger'),
      ...bothWays('continuous drifted', 'hellinger'),
    ].map(({ column, sketched }) => ({
      drift: sketched,
      exactValues: sketchOfExact(column).distinct !== undefined,
    }));
    const continuous = judged.filter(({ exactValues }) => !exactValues);
    const few = judged.filter(({ exactValues }) => exactValues);
    expect(continuous.length).toBeGreaterThan(0);
    expect(few.length).toBeGreaterThan(0);
    for (const { drift } of continuous) {
      expect(drift.method).toBe('wasserstein');
      expect(drift.sketch?.note).toMatch(/hellinger bins distinct values/);
    }
    for (const { drift } of few) {
      expect(drift.method).toBe('hellinger');
      expect(drift.sketch?.note).toBeUndefined();
    }
  });
});
