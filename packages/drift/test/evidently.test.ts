import { readFileSync } from 'node:fs';
import { detectDrift, profileDataset, type DriftOptions, type DriftResult } from '../src/index';
import { expectClose, expectRelativelyClose, fixture } from './support/fixtures';

// Made by fixtures/evidently/make_evidently_reference.py from Evidently's own stattest functions; provenance in
// fixtures/evidently/PROVENANCE.md.
interface EvidentlyVerdict {
  method: string;
  threshold: number;
  drifted: boolean;
  statistic?: number;
  pValue?: number;
}
interface EvidentlyColumn {
  type: 'numeric' | 'categorical';
  default: EvidentlyVerdict;
  overrides: EvidentlyVerdict[];
}
type EvidentlyCase = Record<string, EvidentlyColumn>;

const expected = JSON.parse(readFileSync(fixture('evidently/expected.json'), 'utf8')) as Record<
  'small' | 'large',
  EvidentlyCase
>;

async function run(name: 'small' | 'large', options: DriftOptions): Promise<DriftResult> {
  const reference = await profileDataset([fixture(`evidently/${name}-reference.csv`)], options);
  return detectDrift(reference, [fixture(`evidently/${name}-current.csv`)], options);
}

function expectVerdict(result: DriftResult, column: string, wanted: EvidentlyVerdict): void {
  const drift = result.columns.find((found) => found.column === column);
  expect([column, drift?.method, drift?.threshold, drift?.drifted]).toEqual([
    column,
    wanted.method,
    wanted.threshold,
    wanted.drifted,
  ]);
  if (wanted.statistic !== undefined) expectClose(drift?.statistic, wanted.statistic, 1e-9);
  if (wanted.pValue === 0) expect(drift?.pValue).toBe(0);
  else if (wanted.pValue !== undefined) expectRelativelyClose(drift?.pValue, wanted.pValue, 1e-6);
}

describe.each(['small', 'large'] as const)("Evidently's verdicts on the %s case", (name) => {
  const columns = expected[name];

  it("chooses Evidently's default test per column and gives its statistic, p-value and verdict", async () => {
    const result = await run(name, { predictionColumn: 'none' });
    for (const [column, wanted] of Object.entries(columns)) expectVerdict(result, column, wanted.default);
  });

  const rounds = Math.max(...Object.values(columns).map((column) => column.overrides.length));
  it.each(Array.from({ length: rounds }, (_, round) => round))(
    'gives the statistic and verdict of each method set per column (round %i)',
    async (round) => {
      const perColumn = Object.fromEntries(
        Object.entries(columns)
          .filter(([, column]) => column.overrides[round] !== undefined)
          .map(([column, { overrides }]) => [
            column,
            { method: overrides[round]?.method as NonNullable<DriftOptions['method']> & string },
          ]),
      ) as DriftOptions['perColumn'];
      const result = await run(name, { predictionColumn: 'none', perColumn });
      for (const [column, { overrides }] of Object.entries(columns)) {
        const wanted = overrides[round];
        if (wanted !== undefined) expectVerdict(result, column, wanted);
      }
    },
  );
});
